import Crypto
import Reload
import Signing
import Wire

/// One message of every RELOAD message code, with every body variant, built the way a peer
/// builds them (signed by alice). Used by the round-trip, negative, printer, Wireshark and
/// fuzz-corpus tests.
enum Samples {
    static let configuration = CodecConfiguration()
    static let overlay = ForwardingHeader.overlayHash(name: "example.org")
    static let resource = ResourceId(bytes: Array("alice@example.org".utf8))!

    static func node(_ byte: UInt8, length: Int = 16) -> NodeId {
        return NodeId(bytes: [UInt8](repeating: byte, count: length))!
    }

    static func header(_ transactionId: UInt64, via: [Destination] = [], options: [ForwardingOption] = []) -> ForwardingHeader {
        return ForwardingHeader(
            overlay: overlay, configurationSequence: 7, ttl: 99, transactionId: transactionId, maxResponseLength: 0,
            viaList: via, destinationList: [.node(Identities.bobNodeId)], options: options)
    }

    /// A signed message around `body`.
    static func message(
        _ body: MessageBody, _ transactionId: UInt64, via: [Destination] = [], options: [ForwardingOption] = [],
        extensions: [MessageExtension] = [], certificates: Bool = true
    ) throws -> Message {
        var message = Message(
            header: header(transactionId, via: via, options: options),
            contents: MessageContents(body: body, extensions: extensions),
            securityBlock: SecurityBlock(certificates: [], signature: .synthesized))
        let certificateList = certificates ? [GenericCertificate(certificate: Identities.aliceCertificate)] : []
        try message.sign(
            key: try Identities.aliceKey(), identity: Identities.aliceIdentity, certificates: certificateList,
            random: try Identities.random())
        return message
    }

    /// (name, message) for every code of §14.8 and RFC 7851, several variants of some.
    static func all() throws -> [(name: String, message: Message)] {
        var list: [(String, Message)] = []
        var id: UInt64 = 0x0102_0304_0506_0700
        for (name, body) in try bodies() {
            id += 1
            list.append((name, try message(body, id)))
        }
        id += 1
        list.append((
            "ping_req with via list, options and extensions",
            try message(
                .pingRequest(PingReq()), id,
                via: [.node(node(0x33)), .compressed(0x8123), .opaque([1, 2, 3])],
                options: [ForwardingOption(type: 9, flags: .responseCopy, value: [0xAA, 0xBB])],
                extensions: [MessageExtension(type: 0x2222, isCritical: false, contents: Array("x".utf8))])
        ))
        id += 1
        var toResource = try message(.fetchRequest(fetchRequest()), id)
        toResource.header.destinationList = [.node(node(0x44)), .resource(resource)]
        try toResource.sign(
            key: try Identities.aliceKey(), identity: Identities.aliceIdentity, certificates: [],
            random: try Identities.random())
        list.append(("fetch_req to a resource", toResource))
        return list
    }

    static func bodies() throws -> [(String, MessageBody)] {
        return try topologyBodies() + storageBodies() + otherBodies()
    }

    static func topologyBodies() throws -> [(String, MessageBody)] {
        let successors = [node(0x50), node(0x51), node(0x52)]
        let predecessors = [node(0x40), node(0x41)]
        return [
            ("probe_req", .probeRequest(ProbeReq(requestedInfo: [.responsibleSet, .numResources, .uptime]))),
            ("probe_ans", .probeAnswer(ProbeAns(probeInfo: [.responsibleSet(2_500_000), .numResources(17), .uptime(3600)]))),
            ("attach_req (No-ICE)", .attachRequest(noIceAttach(role: "passive"))),
            ("attach_ans (ICE)", .attachAnswer(iceAttach())),
            ("join_req", .joinRequest(JoinReq(joiningPeerId: Identities.aliceNodeId))),
            ("join_ans", .joinAnswer(JoinAns(overlaySpecificData: [0xDE, 0xAD]))),
            ("leave_req from_succ", .leaveRequest(LeaveReq(leavingPeerId: Identities.aliceNodeId, overlaySpecificData: .fromSucc(successors: successors)))),
            ("leave_req from_pred", .leaveRequest(LeaveReq(leavingPeerId: Identities.aliceNodeId, overlaySpecificData: .fromPred(predecessors: predecessors)))),
            ("leave_ans", .leaveAnswer),
            ("update_req peer_ready", .updateRequest(ChordUpdate(uptime: 12, type: .peerReady))),
            ("update_req neighbors", .updateRequest(ChordUpdate(uptime: 600, type: .neighbors(predecessors: predecessors, successors: successors)))),
            ("update_req full", .updateRequest(ChordUpdate(uptime: 86_400, type: .full(predecessors: predecessors, successors: successors, fingers: [node(0x60), node(0x70), node(0x80)])))),
            ("update_ans", .updateAnswer),
            ("route_query_req", .routeQueryRequest(RouteQueryReq(sendUpdate: true, destination: .resource(resource)))),
            ("route_query_ans", .routeQueryAnswer(ChordRouteQueryAns(nextPeer: node(0x55)))),
            ("ping_req", .pingRequest(PingReq(padding: [UInt8](repeating: 0, count: 32)))),
            ("ping_ans", .pingAnswer(PingAns(responseId: 0x1122_3344_5566_7788, time: 1_790_000_000_000))),
            ("app_attach_req", .appAttachRequest(AppAttachReq(ufrag: Array("uf".utf8), password: Array("pw123456".utf8), application: 5060, role: Array("passive".utf8), candidates: noIceAttach(role: "passive").candidates))),
            ("app_attach_ans", .appAttachAnswer(AppAttachAns(ufrag: Array("uf2".utf8), password: Array("pw654321".utf8), application: 5061, role: Array("active".utf8), candidates: iceAttach().candidates))),
        ]
    }

    static func noIceAttach(role: String) -> AttachReqAns {
        let udp = IceCandidate(
            addrPort: .ipv4(192, 0, 2, 1, port: 6084), overlayLink: .dtlsUdpSrNoIce, foundation: Array("1".utf8),
            priority: 2_130_706_431, type: .host)
        let tcp = IceCandidate(
            addrPort: .ipv4(192, 0, 2, 1, port: 6084), overlayLink: .tlsTcpFhNoIce, foundation: Array("2".utf8),
            priority: 2_130_706_430, type: .host,
            extensions: [IceExtension(name: Array("tcptype".utf8), value: Array("passive".utf8))])
        return AttachReqAns(
            ufrag: Array("abcd".utf8), password: Array("secretpassword".utf8), role: Array(role.utf8),
            candidates: [udp, tcp], sendUpdate: true)
    }

    static func iceAttach() -> AttachReqAns {
        let v6 = IpAddressPort(address: .ipv6(high: 0x2001_0DB8_0000_0000, low: 1), port: 6085)
        let host = IceCandidate(
            addrPort: .ipv4(10, 0, 0, 2, port: 50_000), overlayLink: .dtlsUdpSr, foundation: Array("h1".utf8),
            priority: 2_130_706_431, type: .host)
        let srflx = IceCandidate(
            addrPort: .ipv4(198, 51, 100, 7, port: 40_000), overlayLink: .dtlsUdpSr, foundation: Array("s1".utf8),
            priority: 1_694_498_815, type: .srflx(relAddrPort: .ipv4(10, 0, 0, 2, port: 50_000)))
        let relay = IceCandidate(
            addrPort: v6, overlayLink: .dtlsUdpSr, foundation: Array("r1".utf8), priority: 16_777_215,
            type: .relay(relAddrPort: .ipv4(198, 51, 100, 7, port: 40_000)))
        return AttachReqAns(
            ufrag: Array("wxyz".utf8), password: Array("anotherpassword".utf8), role: Array("active".utf8),
            candidates: [host, srflx, relay], sendUpdate: false)
    }
}
