import Reload
import Signing
import Testing
import Wire
import TestSupport

/// Decoding never traps: every malformed input is a typed error naming the field and offset.
@Suite struct NegativeTests {
    /// Every message cut at every byte offset, once as received (the length field disagrees)
    /// and once with the length field set to the cut size (so the cut lands inside the
    /// structures).
    @Test func everyMessageTruncatedAtEveryOffset() throws {
        for (name, message) in try Samples.all() {
            let bytes = try message.encode()
            for cut in 0..<bytes.count {
                var prefix = Array(bytes[0..<cut])
                #expect(decodeError(prefix) != nil, "\(name) cut at \(cut)")
                if cut >= 20 {
                    setUInt32(&prefix, at: 16, UInt32(cut))
                    guard case .malformed(let error)? = decodeError(prefix) else {
                        Issue.record("\(name) cut at \(cut) with patched length decoded or failed untyped")
                        continue
                    }
                    #expect(error.offset <= cut, "\(name) cut at \(cut): \(error.description)")
                }
            }
            let framed = try FramedMessage.data(sequence: 1, message: bytes).encoded()
            for cut in 0..<framed.count {
                #expect(structureError(FramedMessage.self, Array(framed[0..<cut])) != nil)
            }
        }
    }

    /// Every byte of every message increased and decreased by one: each length field is once
    /// overstated (and understated) by one. Whatever decodes must re-encode to the same bytes.
    @Test func everyByteOffByOne() throws {
        for (name, message) in try Samples.all() {
            let bytes = try message.encode()
            for index in bytes.indices {
                for delta in [1, 255] as [UInt8] {
                    var mutated = bytes
                    mutated[index] = mutated[index] &+ delta
                    do throws(ReloadError) {
                        let decoded = try Message.decode(mutated, Samples.configuration)
                        #expect(try decoded.encode() == mutated, "\(name) byte \(index) +\(delta)")
                    } catch {
                        if case .malformed(let wire) = error { #expect(!wire.field.isEmpty) }
                    }
                }
            }
        }
    }

    /// The fixed length fields overstated by one, with the field the error names.
    @Test func lengthsOverstatedByOne() throws {
        let bytes = try Samples.all().first { $0.name.hasPrefix("ping_req with via") }!.message.encode()
        let layout = Layout(bytes)
        func bumped16(_ offset: Int) -> [UInt8] {
            var copy = bytes
            setUInt16(&copy, at: offset, readUInt16(bytes, at: offset) + 1)
            return copy
        }
        func bumped32(_ offset: Int) -> [UInt8] {
            var copy = bytes
            setUInt32(&copy, at: offset, readUInt32(bytes, at: offset) + 1)
            return copy
        }
        #expect(wireError(bumped32(16))?.field == "ForwardingHeader.length")
        #expect(wireError(bumped16(32)) != nil)
        #expect(wireError(bumped16(34)) != nil)
        #expect(wireError(bumped16(36))?.field.hasPrefix("ForwardingOption") == true
            || wireError(bumped16(36))?.field.hasPrefix("ForwardingHeader") == true)
        #expect(wireError(bumped32(layout.bodyLengthOffset)) != nil)
        #expect(wireError(bumped32(layout.extensionsLengthOffset)) != nil)
        #expect(wireError(bumped16(layout.securityStart)) != nil)
        // The last length of the message: signature_value.
        var tail = bytes
        let valueLengthOffset = tail.count - message(bytes).securityBlock.signature.value.count - 2
        setUInt16(&tail, at: valueLengthOffset, readUInt16(tail, at: valueLengthOffset) + 1)
        #expect(wireError(tail) == .truncated(
            field: "Signature.signature_value", offset: valueLengthOffset + 2,
            needed: Int(readUInt16(tail, at: valueLengthOffset)), available: Int(readUInt16(tail, at: valueLengthOffset)) - 1))
    }

    func message(_ bytes: [UInt8]) -> Message {
        guard let message = try? Message.decode(bytes, Samples.configuration) else { fatalError("sample decodes") }
        return message
    }

    /// §6.6: a message over max-message-size is its own error (Error_Message_Too_Large).
    @Test func messageTooLarge() throws {
        let big = try Samples.message(.pingRequest(PingReq(padding: [UInt8](repeating: 0, count: 5000))), 1)
        let bytes = try big.encode()
        #expect(decodeError(bytes) == .messageTooLarge(length: bytes.count, limit: 5000))
        #expect(decodeError(bytes)?.errorCode == .messageTooLarge)
        #expect(decodeError(bytes, CodecConfiguration(maxMessageSize: 10_000)) == nil)
    }

    /// §6.3.2.3: a DESTINATION_CRITICAL option the node does not understand is reported with
    /// its type and offset; FORWARD_CRITICAL concerns only forwarding peers.
    @Test func unknownCriticalForwardingOption() throws {
        let options = [
            ForwardingOption(type: 5, flags: [], value: [1]),
            ForwardingOption(type: 7, flags: .destinationCritical, value: [2, 3]),
        ]
        let message = try Samples.message(.pingRequest(PingReq()), 1, options: options)
        let bytes = try message.encode()
        let offset = Layout(bytes).optionsStart + 5
        #expect(decodeError(bytes) == .unsupportedForwardingOption(type: 7, offset: offset))
        #expect(bytes[offset] == 7)
        #expect(decodeError(bytes)?.errorCode == .unsupportedForwardingOption)
        var understood = CodecConfiguration()
        understood.understoodForwardingOptions = [7]
        #expect(decodeError(bytes, understood) == nil)
        let forwardOnly = try Samples.message(
            .pingRequest(PingReq()), 1, options: [ForwardingOption(type: 8, flags: .forwardCritical, value: [])])
        #expect(decodeError(try forwardOnly.encode()) == nil)
        #expect(forwardOnly.header.firstUnsupportedOption(asDestination: false, Samples.configuration) == 0)
        #expect(forwardOnly.header.firstUnsupportedOption(asDestination: true, Samples.configuration) == nil)
    }

    /// §6.3.3: a critical extension the node does not understand → Error_Unknown_Extension.
    @Test func unknownCriticalExtension() throws {
        let extensions = [
            MessageExtension(type: 0x10, isCritical: false, contents: [1, 2, 3]),
            MessageExtension(type: 0x11, isCritical: true, contents: []),
        ]
        let bytes = try Samples.message(.pingAnswer(PingAns(responseId: 1, time: 2)), 1, extensions: extensions).encode()
        let layout = Layout(bytes)
        let offset = layout.extensionsLengthOffset + 4 + 10
        #expect(decodeError(bytes) == .unknownExtension(type: 0x11, offset: offset))
        #expect(readUInt16(bytes, at: offset) == 0x11)
        #expect(decodeError(bytes)?.errorCode == .unknownExtension)
    }

    /// Values the RFC does not allow, each named with its field and offset.
    @Test func invalidValues() throws {
        let bytes = try Samples.all()[0].message.encode()
        func patched(_ offset: Int, _ value: UInt8) -> [UInt8] {
            var copy = bytes
            copy[offset] = value
            return copy
        }
        #expect(wireError(patched(0, 0x52)) == .invalidValue(field: "ForwardingHeader.relo_token", offset: 0, value: 0x5245_4C4F))
        #expect(wireError(patched(10, 0x01)) == .invalidValue(field: "ForwardingHeader.version", offset: 10, value: 1))
        #expect(wireError(patched(12, 0x40)) == .invalidValue(field: "ForwardingHeader.fragment", offset: 12, value: 0x4000_0000))
        #expect(wireError(patched(12, 0xC1)) == .invalidValue(field: "ForwardingHeader.fragment", offset: 12, value: 0xC100_0000))
        #expect(wireError(patched(12, 0x80))?.field == "ForwardingHeader.fragment")
        let contents = Layout(bytes).contentsStart
        var code = bytes
        setUInt16(&code, at: contents, 0)
        #expect(wireError(code) == .invalidValue(field: "MessageContents.message_code", offset: contents, value: 0))
        setUInt16(&code, at: contents, 0x8001)
        #expect(wireError(code)?.field == "MessageContents.message_code")
        #expect(structureError(IpAddressPort.self, [3, 6, 1, 2, 3, 4, 0, 1]) == .invalidValue(field: "IpAddressPort.type", offset: 0, value: 3))
        #expect(structureError(IpAddressPort.self, [1, 7, 1, 2, 3, 4, 0, 1, 9]) == .invalidValue(field: "IpAddressPort.length", offset: 1, value: 7))
        #expect(structureError(Destination.self, [0, 0]) == .invalidValue(field: "Destination.type", offset: 0, value: 0))
        #expect(structureError(Destination.self, [1, 15] + [UInt8](repeating: 1, count: 15))?.field == "Destination.length")
        #expect(structureError(DataValue.self, [2, 0, 0, 0, 0]) == .invalidValue(field: "DataValue.exists", offset: 0, value: 2))
        #expect(structureError(SignerIdentity.self, [4, 0, 0]) == .invalidValue(field: "SignerIdentity.identity_type", offset: 0, value: 4))
        #expect(structureError(SignerIdentity.self, [3, 0, 1, 0]) == .trailingBytes(field: "SignerIdentity.identity", offset: 3, count: 1))
        #expect(structureError(ErrorResponse.self, [0, 0, 0, 0]) == .invalidValue(field: "ErrorResponse.error_code", offset: 0, value: 0))
        #expect(structureError(ChordUpdate.self, [0, 0, 0, 1, 4]) == .invalidValue(field: "ChordUpdate.type", offset: 4, value: 4))
        #expect(structureError(ChordLeaveData.self, [3, 0, 0]) == .invalidValue(field: "ChordLeaveData.type", offset: 0, value: 3))
        #expect(structureError(FramedMessage.self, [0x82]) == .invalidValue(field: "FramedMessage.type", offset: 0, value: 0x82))
        #expect(structureError(ProbeInformation.self, [1, 3, 0, 0, 1]) == .invalidValue(field: "ProbeInformation.length", offset: 1, value: 3))
    }

    /// §6.3.2.2: a resource destination only last in a destination list, never in a via list.
    @Test func resourcePlacement() throws {
        var message = try Samples.message(.pingRequest(PingReq()), 1)
        message.header.destinationList = [.resource(Samples.resource), .node(Samples.node(1))]
        #expect(throws: ReloadError.self) { try message.encode() }
        message.header.destinationList = [.node(Samples.node(1))]
        message.header.viaList = [.resource(Samples.resource)]
        #expect(throws: ReloadError.self) { try message.encode() }
        // Build the bytes by hand: a resource first and a node after it.
        message.header.viaList = []
        message.header.destinationList = [.node(Samples.node(1)), .resource(Samples.resource)]
        var bytes = try message.encode()
        let first = Array(bytes[38..<56])
        let second = Array(bytes[56..<(56 + 2 + 1 + Samples.resource.bytes.count)])
        bytes.replaceSubrange(38..<(56 + second.count), with: second + first)
        #expect(wireError(bytes) == .invalidValue(field: "ForwardingHeader.destination_list", offset: 38, value: 2))
    }

    @Test func listsPastTheirLimits() throws {
        try checkNodeIdList(limit: ReloadLimits.nodeIds)
        try checkViaList()
        try checkValuesPerKind()
        try checkCertificates()
        try checkSmallLists()
    }

    func checkNodeIdList(limit: Int) throws {
        for count in [limit, limit + 1] {
            var writer = ByteWriter()
            writer.writeUInt32(1)
            writer.writeUInt8(2)
            writer.writeUInt16(UInt16(16 * count))
            for _ in 0..<count { writer.writeBytes([UInt8](repeating: 5, count: 16)) }
            writer.writeUInt16(0)
            let error = structureError(ChordUpdate.self, writer.bytes)
            if count == limit {
                #expect(error == nil)
            } else {
                #expect(error == .countOverLimit(field: "ChordUpdate.predecessors", offset: 7 + 16 * limit, limit: limit))
            }
        }
        let tooMany = ChordUpdate(uptime: 1, type: .neighbors(predecessors: [NodeId](repeating: Samples.node(1), count: limit + 1), successors: []))
        #expect(throws: WireError.self) { try tooMany.encoded() }
    }

    func checkViaList() throws {
        let limit = ReloadLimits.destinations
        var message = try Samples.message(.pingRequest(PingReq()), 1)
        message.header.viaList = (0..<limit).map { .compressed(0x8000 | UInt16($0)) }
        var bytes = try message.encode()
        #expect(decodeError(bytes) == nil)
        bytes.insert(contentsOf: [0x80, 0x99], at: 38)
        setUInt16(&bytes, at: 32, UInt16(2 * (limit + 1)))
        setUInt32(&bytes, at: 16, UInt32(bytes.count))
        #expect(wireError(bytes) == .countOverLimit(field: "ForwardingHeader.via_list", offset: 38 + 2 * limit, limit: limit))
        message.header.viaList.append(.compressed(0x8999))
        #expect(throws: ReloadError.self) { try message.encode() }
    }

    func checkValuesPerKind() throws {
        let limit = ReloadLimits.valuesPerKind
        let value = StoredData(storageTime: 1, lifetime: 1, value: .single(DataValue(value: [])), signature: .synthesized)
        let ok = StoreKindData(kind: .turnService, generationCounter: 1, values: [StoredData](repeating: value, count: limit))
        let bytes = try ok.encoded()
        #expect(structureError(StoreKindData.self, bytes, CodecConfiguration(maxMessageSize: 100_000)) == nil)
        var over = bytes
        let one = try value.encoded()
        over.append(contentsOf: one)
        setUInt32(&over, at: 12, readUInt32(over, at: 12) + UInt32(one.count))
        #expect(structureError(StoreKindData.self, over, CodecConfiguration(maxMessageSize: 100_000))
            == .countOverLimit(field: "StoreKindData.values", offset: bytes.count, limit: limit))
        var tooMany = ok
        tooMany.values = .known([StoredData](repeating: value, count: limit + 1))
        #expect(throws: WireError.self) { try tooMany.encoded() }
    }

    func checkCertificates() throws {
        let limit = ReloadLimits.certificates
        let certificate = GenericCertificate(certificate: [1, 2, 3])
        let block = SecurityBlock(certificates: [GenericCertificate](repeating: certificate, count: limit), signature: .synthesized)
        var bytes = try block.encoded()
        #expect(structureError(SecurityBlock.self, bytes) == nil)
        bytes.insert(contentsOf: try certificate.encoded(), at: 2)
        setUInt16(&bytes, at: 0, readUInt16(bytes, at: 0) + 6)
        #expect(structureError(SecurityBlock.self, bytes) == .countOverLimit(field: "SecurityBlock.certificates", offset: 2 + 6 * limit, limit: limit))
    }

    func checkSmallLists() throws {
        // FindReq kinds<0..2^8-1>: 33 kinds fit the length byte but not our limit.
        let limit = ReloadLimits.kindsPerMessage
        var writer = ByteWriter()
        writer.writeUInt8(0)
        writer.writeUInt8(UInt8(4 * (limit + 1)))
        for index in 0...limit { writer.writeUInt32(UInt32(index)) }
        #expect(structureError(FindReq.self, writer.bytes) == .countOverLimit(field: "FindReq.kinds", offset: 2 + 4 * limit, limit: limit))
        let candidates = [IceCandidate](repeating: Samples.noIceAttach(role: "passive").candidates[0], count: ReloadLimits.iceCandidates + 1)
        let attach = AttachReqAns(ufrag: [], password: [], role: [], candidates: candidates, sendUpdate: false)
        #expect(throws: WireError.self) { try attach.encoded() }
    }

    /// Random bytes and random mutations of valid messages: no trap, and whatever decodes
    /// re-encodes to exactly the input (encoding and decoding are inverses).
    @Test func randomInputsNeverTrap() throws {
        var generator = SeededRandom(seed: 0x5EED)
        let samples = try Samples.all().map { try $0.message.encode() }
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = samples[Int.random(in: 0..<samples.count, using: &generator)]
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            if let message = try? Message.decode(bytes, Samples.configuration) {
                decoded += 1
                #expect(try message.encode() == bytes)
            }
            _ = try? MessageDescription.describe(bytes, Samples.configuration)
        }
        #expect(decoded > 0)
    }
}

/// §6.1: what a peer on the path does with a message it forwards.
@Suite struct ForwardingTests {
    @Test func forwardingKeepsThePayloadAndTheSignature() throws {
        let original = try Samples.message(.storeRequest(try Samples.storeRequest()), 5)
        let bytes = try original.encode()
        var (header, headerLength) = try ForwardingHeader.decodeForForwarding(bytes, Samples.configuration)
        #expect(header == original.header)
        #expect(headerLength == Layout(bytes).headerLength)
        header.ttl -= 1
        header.viaList.append(.node(Samples.node(0x99)))
        let forwarded = try header.message(payload: bytes[headerLength...])
        let decoded = try Message.decode(forwarded, Samples.configuration)
        #expect(decoded.header == header)
        #expect(decoded.contents == original.contents && decoded.securityBlock == original.securityBlock)
        try decoded.verifySignature(publicKey: try Identities.alicePublicKey())
        // A fragment's data is passed on the same way.
        let fragment = try Fragmentation.fragment(bytes, maximumBytes: 600, Samples.configuration)[1]
        let (fragmentHeader, fragmentHeaderLength) = try ForwardingHeader.decodeForForwarding(fragment, Samples.configuration)
        #expect(try fragmentHeader.message(payload: fragment[fragmentHeaderLength...]) == fragment)
    }

    @Test func forwardCriticalOptionsAndSize() throws {
        let options = [ForwardingOption(type: 3, flags: [], value: [1, 2, 3]), ForwardingOption(type: 4, flags: .forwardCritical, value: [])]
        let bytes = try Samples.message(.pingRequest(PingReq()), 1, options: options).encode()
        let offset = Layout(bytes).optionsStart + 7
        #expect(throws: ReloadError.unsupportedForwardingOption(type: 4, offset: offset)) {
            try ForwardingHeader.decodeForForwarding(bytes, Samples.configuration)
        }
        #expect(bytes[offset] == 4)
        var understood = CodecConfiguration()
        understood.understoodForwardingOptions = [4]
        #expect(try ForwardingHeader.decodeForForwarding(bytes, understood).header.options == options)
        let big = try Samples.message(.pingRequest(PingReq(padding: [UInt8](repeating: 1, count: 5000))), 1).encode()
        #expect(throws: ReloadError.messageTooLarge(length: big.count, limit: 5000)) {
            try ForwardingHeader.decodeForForwarding(big, Samples.configuration)
        }
    }
}
