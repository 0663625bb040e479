import Reload
import Wire

/// RELOAD messages for the link tests and link-bench: a valid forwarding header (§6.3.2: RELO
/// token, version 1.0, TTL 100, fragment 0xC0000000, no lists) and a body that starts with a
/// message number.
public enum TestMessages {
    public static let overlay: UInt32 = 0x0102_0304
    public static let headerBytes = 38

    public static func make(_ number: UInt32, bodyBytes: Int = 64) -> [UInt8] {
        var writer = ByteWriter(capacity: headerBytes + bodyBytes)
        writer.writeUInt32(ReloadConstants.reloToken)
        writer.writeUInt32(overlay)
        writer.writeUInt16(0)  // configuration_sequence
        writer.writeUInt8(ReloadConstants.version)
        writer.writeUInt8(ReloadConstants.defaultInitialTTL)
        writer.writeUInt32(ReloadConstants.unfragmented)
        writer.writeUInt32(UInt32(headerBytes + max(bodyBytes, 4)))
        writer.writeUInt64(0xABCD_0000_0000_0000 | UInt64(number))  // transaction_id
        writer.writeUInt32(0)  // max_response_length
        writer.writeUInt16(0)
        writer.writeUInt16(0)
        writer.writeUInt16(0)
        writer.writeUInt32(number)
        for index in 4..<max(bodyBytes, 4) { writer.writeUInt8(UInt8(truncatingIfNeeded: index &+ Int(number))) }
        return writer.bytes
    }

    public static func number(_ message: [UInt8]) -> UInt32? {
        guard message.count >= headerBytes + 4 else { return nil }
        return message[headerBytes..<(headerBytes + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
