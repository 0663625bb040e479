import Crypto
import Reload
import Testing
import Wire

@Suite struct RoundTripTests {
    /// Every message code and body variant: decode(encode(m)) == m and encode(decode(b)) == b.
    @Test func everyMessageRoundTrips() throws {
        let samples = try Samples.all()
        var codes = Set<UInt16>()
        for (name, message) in samples {
            let bytes = try message.encode()
            let decoded = try Message.decode(bytes, Samples.configuration)
            #expect(decoded == message, "\(name)")
            #expect(try decoded.encode() == bytes, "\(name)")
            codes.insert(message.contents.code.rawValue)
        }
        // Every code of §14.8 (and RFC 7851 §9.3) is covered.
        for code in MessageCode.named {
            #expect(codes.contains(code.rawValue), "no sample for \(code.rfcName)")
        }
    }

    /// §6.3.1.1: "here is the wire representation of the IPv4 address 192.0.2.1 with port 6084".
    @Test func rfcIpAddressPortExample() throws {
        let address = IpAddressPort.ipv4(192, 0, 2, 1, port: 6084)
        #expect(try address.encoded() == [0x01, 0x06, 0xC0, 0x00, 0x02, 0x01, 0x17, 0xC4])
        #expect(try IpAddressPort.decode(bytes: [0x01, 0x06, 0xC0, 0x00, 0x02, 0x01, 0x17, 0xC4]) == address)
        #expect(address.text == "192.0.2.1:6084")
    }

    /// §6.3.1.1: "the 3-byte value "FOO" would be encoded as: 03 46 4f 4f".
    @Test func rfcResourceIdExample() throws {
        let foo = ResourceId(bytes: Array("FOO".utf8))!
        #expect(try foo.encoded() == [0x03, 0x46, 0x4F, 0x4F])
        #expect(try ResourceId.decode(bytes: [0x03, 0x46, 0x4F, 0x4F]) == foo)
    }

    /// §6.7: "resulting in a fragment value of 0xC0000000".
    @Test func rfcUnfragmentedExample() throws {
        #expect(Fragment.unfragmented.rawValue == 0xC000_0000)
        let bytes = try Samples.all()[0].message.encode()
        #expect(Array(bytes[12..<16]) == [0xC0, 0x00, 0x00, 0x00])
        #expect(Fragment(rawValue: 0x4000_0000) == nil)
        #expect(Fragment(rawValue: 0xC100_0000) == nil)
        #expect(Fragment(rawValue: 0x8000_0100) == Fragment(isLast: false, offset: 256))
    }

    /// §6.3.2: relo_token 0xd2454c4f, version 0x0a, length = the message size; overlay = low
    /// 32 bits of SHA-1 of the name.
    @Test func forwardingHeaderFixedFields() throws {
        let bytes = try Samples.all()[0].message.encode()
        #expect(Array(bytes[0..<4]) == [0xD2, 0x45, 0x4C, 0x4F])
        #expect(bytes[10] == 0x0A)
        let length = Int(bytes[16]) << 24 | Int(bytes[17]) << 16 | Int(bytes[18]) << 8 | Int(bytes[19])
        #expect(length == bytes.count)
        let digest = SHA1.hash(Array("example.org".utf8))
        #expect(Array(bytes[4..<8]) == Array(digest[16..<20]))
    }

    @Test func nodeIdLengths() throws {
        for length in 16...20 {
            let configuration = CodecConfiguration(nodeIdLength: length)
            let id = NodeId(bytes: (0..<length).map { UInt8($0 + 1) })!
            #expect(id.bytes == (0..<length).map { UInt8($0 + 1) })
            #expect(try NodeId.decode(bytes: try id.encoded(), configuration) == id)
            let destination = Destination.node(id)
            #expect(try Destination.decode(bytes: try destination.encoded(), configuration) == destination)
            let update = ChordUpdate(uptime: 1, type: .neighbors(predecessors: [id], successors: [id, id]))
            #expect(try ChordUpdate.decode(bytes: try update.encoded(), configuration) == update)
            #expect(NodeId.wildcard(length: length).bytes == [UInt8](repeating: 0xFF, count: length))
            #expect(NodeId.wildcard(length: length).isWildcard)
        }
        #expect(NodeId(bytes: [UInt8](repeating: 1, count: 15)) == nil)
        #expect(NodeId(bytes: [UInt8](repeating: 1, count: 21)) == nil)
        #expect(Samples.node(1) < Samples.node(2))
        #expect(NodeId(bytes: [0] + [UInt8](repeating: 0xFF, count: 15))! < NodeId(bytes: [1] + [UInt8](repeating: 0, count: 15))!)
    }

    @Test func destinationsOfEveryForm() throws {
        let forms: [Destination] = [
            .node(Samples.node(9)), .resource(Samples.resource), .opaque([1, 2, 3, 4]), .compressed(0x8001),
            .resource(ResourceId(bytes: [])!), .opaque([]),
        ]
        for destination in forms {
            let bytes = try destination.encoded()
            #expect(try Destination.decode(bytes: bytes) == destination)
        }
        // §6.3.2.2: resource = type 2, length, then the ResourceId with its own length byte.
        #expect(try Destination.resource(ResourceId(bytes: Array("FOO".utf8))!).encoded() == [2, 4, 3, 0x46, 0x4F, 0x4F])
        #expect(try Destination.compressed(0x8123).encoded() == [0x81, 0x23])
    }

    @Test func sipRegistrationValues() throws {
        let values: [SipRegistration] = [
            .uri(Array("sip:alice@example.org".utf8)),
            .route(contactPrefs: [], destinationList: [.node(Samples.node(1)), .compressed(0x8002)]),
            .unknown(type: 9, data: [1, 2]),
        ]
        for value in values {
            #expect(try SipRegistration.decode(bytes: try value.encoded()) == value)
        }
        // RFC 7904: destination_list<3..2^16-1> — an empty list is not a route.
        #expect(throws: WireError.self) { try SipRegistration.route(contactPrefs: [], destinationList: []).encoded() }
        #expect(throws: WireError.self) { try SipRegistration.decode(bytes: [2, 0, 4, 0, 0, 0, 0]) }
    }

    @Test func framedMessages() throws {
        let message = try Samples.all()[0].message.encode()
        let data = FramedMessage.data(sequence: 42, message: message)
        let bytes = try data.encoded()
        #expect(Array(bytes[0..<8]) == [0x80, 0, 0, 0, 42, 0, UInt8(message.count >> 8), UInt8(message.count & 0xFF)])
        #expect(try FramedMessage.decode(bytes: bytes) == data)
        let ack = FramedMessage.ack(ackSequence: 42, received: 0x8000_0001)
        #expect(try ack.encoded() == [0x81, 0, 0, 0, 42, 0x80, 0, 0, 1])
        #expect(try FramedMessage.decode(bytes: try ack.encoded()) == ack)
    }

    @Test func unknownKindsAreKeptAsBytes() throws {
        var configuration = CodecConfiguration()
        let store = try Samples.storeRequest()
        let bytes = try store.encoded()
        configuration.kinds = KindTable()
        let decoded = try StoreReq.decode(bytes: bytes, configuration)
        #expect(decoded.unknownKinds == [.sipRegistration, .certificateByNode, .turnService])
        #expect(try decoded.encoded() == bytes)
        let fetch = try FetchReq.decode(bytes: try Samples.fetchRequest().encoded(), configuration)
        #expect(fetch.unknownKinds.count == 3)
        #expect(try fetch.encoded() == (try Samples.fetchRequest().encoded()))
        let error = try ErrorResponse.unknownKinds(decoded.unknownKinds)
        let listed = try error.unknownKinds()
        #expect(listed == decoded.unknownKinds)
        // A kind from a kind-block becomes known.
        let added = configuration.kinds.add(.turnService, .singleValue)
        #expect(added)
        #expect(try StoreReq.decode(bytes: bytes, configuration).unknownKinds == [.sipRegistration, .certificateByNode])
    }

    @Test func iceAndNoIceCandidatesAreNotMixed() {
        #expect(!Samples.noIceAttach(role: "passive").mixesIceAndNoIce)
        #expect(!Samples.iceAttach().mixesIceAndNoIce)
        var mixed = Samples.iceAttach()
        mixed.candidates += Samples.noIceAttach(role: "passive").candidates
        #expect(mixed.mixesIceAndNoIce)
    }

    @Test func messageCodesAndErrorCodes() {
        for code in MessageCode.named {
            #expect(MessageCode(rawValue: code.rawValue) == code)
        }
        #expect(MessageCode(rawValue: 0) == nil)
        #expect(MessageCode(rawValue: 0x8000) == nil)
        #expect(MessageCode(rawValue: 0xB) == .unassigned(0xB))
        #expect(MessageCode.storeRequest.rfcName == "store_req")
        #expect(MessageCode.pathTrackAnswer.rfcName == "path_track_ans")
        #expect(MessageCode.configUpdateRequest.rawValue == 0x21)
        #expect(MessageCode.storeRequest.isRequest && !MessageCode.storeAnswer.isRequest && !MessageCode.error.isRequest)
        for (index, code) in ErrorCode.named.enumerated() {
            #expect(code.rawValue == UInt16(index + 2))
            #expect(ErrorCode(rawValue: code.rawValue) == code)
        }
        #expect(ErrorCode.invalidMessage.rawValue == 0x14)
        #expect(ErrorCode.ttlHopsExceeded.rawValue == 0x1A)
        #expect(ErrorCode.unknownExtension.rfcName == "Error_Unknown_Extension")
        #expect(ErrorCode(rawValue: 0) == nil)
        #expect(ErrorCode(rawValue: 1) == .unassigned(1))
    }
}
