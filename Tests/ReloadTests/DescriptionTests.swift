import Reload
import Testing
import Wire

/// The protocol-analyser printer behind `p2psip decode`.
@Suite struct DescriptionTests {
    @Test func everySampleIsDescribedBareAndFramed() throws {
        for (name, message) in try Samples.all() {
            let bytes = try message.encode()
            let lines = try MessageDescription.describe(bytes, Samples.configuration)
            #expect(lines.contains("  relo_token: 0xd2454c4f"), "\(name)")
            #expect(lines.contains("  length: \(bytes.count)"), "\(name)")
            #expect(lines.contains { $0.contains("message_code: 0x" ) && $0.contains(message.contents.code.rfcName) }, "\(name)")
            #expect(lines.contains { $0.contains("signature_value: ") }, "\(name)")
            #expect(lines.allSatisfy { $0.contains(":") }, "\(name)")
            let framed = try FramedMessage.data(sequence: 5, message: bytes).encoded()
            let framedLines = try MessageDescription.describe(framed, Samples.configuration)
            #expect(framedLines.prefix(4) == ["FramedMessage:", "  type: data (128)", "  sequence: 5", "  message length: \(bytes.count)"])
            #expect(Array(framedLines.dropFirst(4)) == lines)
        }
    }

    @Test func storeRequestShowsEveryField() throws {
        let bytes = try Samples.message(.storeRequest(try Samples.storeRequest()), 1).encode()
        let text = try MessageDescription.describe(bytes, Samples.configuration).joined(separator: "\n")
        for expected in [
            "version: 0x0a (1.0)", "fragment: 0xc0000000 (last fragment: yes, offset 0)", "ttl: 99",
            "configuration_sequence: 7", "destination_list[0]:", "node_id: 22222222222222222222222222222222",
            "StoreReq:", "replica_number: 0", "kind: 0x1 (SIP-REGISTRATION)", "generation_counter: 9",
            "storage_time: 1790000000123 ms since 1970", "lifetime: 86400 s", "SipRegistration:",
            "type: sip_registration_route (2)", "contact_prefs: ", "\"(sip.schemes=SIP)\"",
            "index: 4294967295 (append)", "identity.identity_type: cert_hash (1)", "algorithm.signature: ecdsa (3)",
            "certificates[0]:", "type: X.509 (0)",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func errorsNameFieldAndOffset() throws {
        var bytes = try Samples.all()[0].message.encode()
        bytes[10] = 9
        #expect(throws: ReloadError.malformed(.invalidValue(field: "ForwardingHeader.version", offset: 10, value: 9))) {
            try MessageDescription.describe(bytes, Samples.configuration)
        }
        // In a frame, offsets count from the frame's first byte.
        let framed = try FramedMessage.data(sequence: 1, message: bytes).encoded()
        #expect(throws: ReloadError.malformed(.invalidValue(field: "ForwardingHeader.version", offset: 18, value: 9))) {
            try MessageDescription.describe(framed, Samples.configuration)
        }
        let error = ReloadError.malformed(.invalidValue(field: "ForwardingHeader.version", offset: 18, value: 9))
        #expect(error.description == "ForwardingHeader.version at byte 18: invalid value 9")
        #expect(throws: ReloadError.self) { try MessageDescription.describe([], Samples.configuration) }
    }

    @Test func acksAndFragments() throws {
        let ack = try FramedMessage.ack(ackSequence: 9, received: 0xF).encoded()
        #expect(try MessageDescription.describe(ack, Samples.configuration) == [
            "FramedMessage:", "  type: ack (129)", "  ack_sequence: 9", "  received: 0x0000000f",
        ])
        let message = try FragmentationTests.bigMessage()
        let fragment = try Fragmentation.fragment(message, maximumBytes: 600, Samples.configuration)[1]
        let lines = try MessageDescription.describe(fragment, Samples.configuration)
        #expect(lines.last?.hasPrefix("fragment data: ") == true)
    }
}
