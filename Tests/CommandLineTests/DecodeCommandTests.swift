import Foundation
import Reload
import Testing
import TestSupport
import Wire

@testable import p2psip

/// `p2psip decode`: arguments, exit status, and output of the pure part the CLI wires up.
@Suite struct DecodeCommandTests {
    /// A signed StoreReq, no via list: ReloadTests' committed vector (alice's ECDSA signature).
    static func storeRequest() throws -> [UInt8] {
        let file = BuiltProducts.projectRoot.appendingPathComponent("Tests/ReloadTests/Vectors/ecdsa-store-request.hex")
        return try #require(Hex.decode(try String(contentsOf: file, encoding: .utf8).filter { !$0.isWhitespace }))
    }

    @Test func arguments() {
        #expect(parseDecodeArguments(["message.bin"]) == DecodeArguments(isHex: false, nodeIdLength: 16, path: "message.bin"))
        #expect(parseDecodeArguments(["--hex", "--node-id-length", "20", "-"]) == DecodeArguments(isHex: true, nodeIdLength: 20, path: "-"))
        #expect(parseDecodeArguments([]) == nil)
        #expect(parseDecodeArguments(["--node-id-length", "21", "x"]) == nil)
        #expect(parseDecodeArguments(["--node-id-length"]) == nil)
        #expect(parseDecodeArguments(["a", "b"]) == nil)
        #expect(parseDecodeArguments(["--verbose", "a"]) == nil)
    }

    @Test func decodesRawAndHex() throws {
        let bytes = try FramedMessage.data(sequence: 3, message: try Self.storeRequest()).encoded()
        let raw = decodeCommand(input: bytes, isHex: false, nodeIdLength: 16)
        #expect(raw.status == 0)
        #expect(raw.output.first == "FramedMessage:")
        let hex = decodeCommand(input: Array(("0x" + Hex.encode(bytes) + "\n").utf8), isHex: true, nodeIdLength: 16)
        #expect(hex.status == 0 && hex.output == raw.output)
    }

    @Test func failuresNameFieldAndOffset() throws {
        var bytes = try Self.storeRequest()
        bytes[10] = 2
        let result = decodeCommand(input: bytes, isHex: false, nodeIdLength: 16)
        #expect(result.status == 1)
        #expect(result.output == ["error: ForwardingHeader.version at byte 10: invalid value 2"])
        #expect(decodeCommand(input: Array("abc".utf8), isHex: true, nodeIdLength: 16).status == 1)
        #expect(decodeCommand(input: [], isHex: false, nodeIdLength: 16).status == 1)
        #expect(decodeCommand(input: bytes, isHex: false, nodeIdLength: 15).status == 2)
        // A 20-byte overlay's message read with the default length fails at the first Node-ID.
        let long = NodeId(bytes: [UInt8](repeating: 1, count: 20))!
        var message = try Message.decode(try Self.storeRequest(), CodecConfiguration())
        message.header.destinationList = [.node(long)]
        let output = decodeCommand(input: try message.encode(), isHex: false, nodeIdLength: 16)
        #expect(output.output == ["error: Destination.length at byte 39: invalid value 20"])
        #expect(decodeCommand(input: try message.encode(), isHex: false, nodeIdLength: 20).status == 0)
    }
}
