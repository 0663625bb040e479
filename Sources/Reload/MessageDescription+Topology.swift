import Wire

// Bodies of §6.4.2 and §6.5 and the CHORD-RELOAD structures of §10.7-§10.9.
extension MessageDescription {
    static func describe(_ body: MessageBody, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter) {
        switch body {
        case .probeRequest(let request):
            writer.open("ProbeReq")
            for (index, type) in request.requestedInfo.enumerated() {
                writer.field("requested_info[\(index)]", "\(type.name) (\(type.rawValue))")
            }
            writer.close()
        case .probeAnswer(let answer):
            describe(answer, &writer)
        case .attachRequest(let attach), .attachAnswer(let attach):
            describe(attach, &writer)
        case .appAttachRequest(let attach), .appAttachAnswer(let attach):
            describe(attach, body.code == .appAttachRequest ? "AppAttachReq" : "AppAttachAns", &writer)
        case .pingRequest(let request):
            writer.open("PingReq")
            writer.field("padding", DescriptionWriter.opaque(request.padding))
            writer.close()
        case .pingAnswer(let answer):
            writer.open("PingAns")
            writer.field("response_id", DescriptionWriter.hex(answer.responseId, digits: 16))
            writer.field("time", "\(answer.time) ms since 1970")
            writer.close()
        case .leaveAnswer, .updateAnswer, .configUpdateAnswer:
            writer.field(body.code.rfcName, "(empty)")
        case .error(let response):
            describe(response, configuration, &writer)
        case .opaque(_, let bytes):
            writer.field("message_body", DescriptionWriter.opaque(bytes))
        default:
            describeOverlay(body, configuration, &writer)
        }
    }

    static func describeOverlay(_ body: MessageBody, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter) {
        switch body {
        case .joinRequest(let request):
            writer.open("JoinReq")
            writer.field("joining_peer_id", request.joiningPeerId.hex)
            writer.field("overlay_specific_data", DescriptionWriter.opaque(request.overlaySpecificData))
            writer.close()
        case .joinAnswer(let answer):
            writer.open("JoinAns")
            writer.field("overlay_specific_data", DescriptionWriter.opaque(answer.overlaySpecificData))
            writer.close()
        case .leaveRequest(let request):
            describe(request, &writer)
        case .updateRequest(let update):
            describe(update, &writer)
        case .routeQueryRequest(let request):
            writer.open("RouteQueryReq")
            writer.field("send_update", DescriptionWriter.boolean(request.sendUpdate))
            describe(request.destination, "destination", &writer)
            writer.field("overlay_specific_data", DescriptionWriter.opaque(request.overlaySpecificData))
            writer.close()
        case .routeQueryAnswer(let answer):
            writer.open("ChordRouteQueryAns")
            writer.field("next_peer", answer.nextPeer.hex)
            writer.close()
        case .configUpdateRequest(let request):
            describe(request, &writer)
        default:
            describeStorage(body, configuration, &writer)
        }
    }

    static func describe(_ answer: ProbeAns, _ writer: inout DescriptionWriter) {
        writer.open("ProbeAns")
        for (index, info) in answer.probeInfo.enumerated() {
            let name = "probe_info[\(index)]"
            switch info {
            case .responsibleSet(let value): writer.field(name, "responsible_set (1): responsible_ppb \(value)")
            case .numResources(let value): writer.field(name, "num_resources (2): \(value)")
            case .uptime(let value): writer.field(name, "uptime (3): \(value) s")
            case .unknown(let type, let value):
                writer.field(name, "type \(type.rawValue): " + DescriptionWriter.opaque(value))
            }
        }
        writer.close()
    }

    static func describe(_ attach: AttachReqAns, _ writer: inout DescriptionWriter) {
        writer.open("AttachReqAns")
        writer.field("ufrag", DescriptionWriter.opaque(attach.ufrag))
        writer.field("password", DescriptionWriter.opaque(attach.password))
        writer.field("role", DescriptionWriter.opaque(attach.role))
        describe(attach.candidates, &writer)
        writer.field("send_update", DescriptionWriter.boolean(attach.sendUpdate))
        writer.close()
    }

    static func describe(_ attach: AppAttachReq, _ name: String, _ writer: inout DescriptionWriter) {
        writer.open(name)
        writer.field("ufrag", DescriptionWriter.opaque(attach.ufrag))
        writer.field("password", DescriptionWriter.opaque(attach.password))
        let application = attach.application == 5060 || attach.application == 5061 ? " (SIP)" : ""
        writer.field("application", "\(attach.application)" + application)
        writer.field("role", DescriptionWriter.opaque(attach.role))
        describe(attach.candidates, &writer)
        writer.close()
    }

    static func describe(_ candidates: [IceCandidate], _ writer: inout DescriptionWriter) {
        writer.field("candidates", "\(candidates.count) entries")
        for (index, candidate) in candidates.enumerated() {
            writer.open("candidates[\(index)]")
            writer.field("addr_port", candidate.addrPort.text)
            writer.field("overlay_link", "\(candidate.overlayLink.name) (\(candidate.overlayLink.rawValue))")
            writer.field("foundation", DescriptionWriter.opaque(candidate.foundation))
            writer.field("priority", candidate.priority)
            writer.field("type", "\(candidate.type.name) (\(candidate.type.rawValue))")
            if let related = candidate.type.relAddrPort { writer.field("rel_addr_port", related.text) }
            for (extensionIndex, item) in candidate.extensions.enumerated() {
                writer.field("extensions[\(extensionIndex)].name", DescriptionWriter.opaque(item.name))
                writer.field("extensions[\(extensionIndex)].value", DescriptionWriter.opaque(item.value))
            }
            writer.close()
        }
    }

    static func describe(_ request: LeaveReq, _ writer: inout DescriptionWriter) {
        writer.open("LeaveReq")
        writer.field("leaving_peer_id", request.leavingPeerId.hex)
        switch request.overlaySpecificData {
        case nil:
            writer.field("overlay_specific_data", "(empty)")
        case .fromSucc(let successors)?:
            writer.open("ChordLeaveData")
            writer.field("type", "from_succ (1)")
            describe(successors, "successors", &writer)
            writer.close()
        case .fromPred(let predecessors)?:
            writer.open("ChordLeaveData")
            writer.field("type", "from_pred (2)")
            describe(predecessors, "predecessors", &writer)
            writer.close()
        }
        writer.close()
    }

    static func describe(_ update: ChordUpdate, _ writer: inout DescriptionWriter) {
        writer.open("ChordUpdate")
        writer.field("uptime", "\(update.uptime) s")
        writer.field("type", "\(update.type.name) (\(update.type.rawValue))")
        switch update.type {
        case .peerReady:
            break
        case .neighbors(let predecessors, let successors):
            describe(predecessors, "predecessors", &writer)
            describe(successors, "successors", &writer)
        case .full(let predecessors, let successors, let fingers):
            describe(predecessors, "predecessors", &writer)
            describe(successors, "successors", &writer)
            describe(fingers, "fingers", &writer)
        }
        writer.close()
    }

    static func describe(_ ids: [NodeId], _ name: String, _ writer: inout DescriptionWriter) {
        writer.field(name, "\(ids.count) entries")
        for (index, id) in ids.enumerated() {
            writer.field("\(name)[\(index)]", id.hex)
        }
    }

    static func describe(_ request: ConfigUpdateReq, _ writer: inout DescriptionWriter) {
        writer.open("ConfigUpdateReq")
        switch request {
        case .config(let data):
            writer.field("type", "config (1)")
            writer.field("config_data", DescriptionWriter.opaque(data))
        case .kinds(let kinds):
            writer.field("type", "kind (2)")
            for (index, kind) in kinds.enumerated() {
                writer.field("kinds[\(index)]", DescriptionWriter.opaque(kind))
            }
        case .unknown(let type, let data):
            writer.field("type", String(type))
            writer.field("data", DescriptionWriter.opaque(data))
        }
        writer.close()
    }

    static func describe(_ response: ErrorResponse, _ configuration: CodecConfiguration, _ writer: inout DescriptionWriter) {
        writer.open("ErrorResponse")
        writer.field("error_code", DescriptionWriter.hex(response.code.rawValue, digits: 4) + " (" + response.code.rfcName + ")")
        writer.field("error_info", DescriptionWriter.opaque(response.info))
        if response.code == .unknownKind, let kinds = try? response.unknownKinds(configuration) {
            for (index, kind) in kinds.enumerated() { writer.field("unknown_kinds[\(index)]", describe(kind)) }
        }
        if response.code == .generationCounterTooLow, let answer = try? StoreAns.decode(bytes: response.info, configuration) {
            describe(answer, &writer)
        }
        writer.close()
    }

    static func describe(_ kind: KindId) -> String {
        let hex = DescriptionWriter.hex(kind.rawValue, digits: 1)
        if let name = kind.name { return hex + " (" + name + ")" }
        return hex
    }
}
