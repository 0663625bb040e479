import Wire

/// §6.3.1.1 IpAddressPort: type(1) ‖ length(1) ‖ IPv4AddrPort (addr u32, port u16) or
/// IPv6AddrPort (addr u128, port u16). 192.0.2.1:6084 is 01 06 c0 00 02 01 17 c4. An unknown
/// type is a parse error (the RFC's SHOULD), and the length must be exactly 6 or 18.
public struct IpAddressPort: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "IpAddressPort"

    public enum Address: Equatable, Sendable {
        case ipv4(UInt32)
        case ipv6(high: UInt64, low: UInt64)
    }

    public var address: Address
    public var port: UInt16

    public init(address: Address, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// An IPv4 address from its four bytes, e.g. (192, 0, 2, 1).
    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) -> IpAddressPort {
        let value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
        return IpAddressPort(address: .ipv4(value), port: port)
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> IpAddressPort {
        let start = reader.offset
        let type = try reader.readUInt8("IpAddressPort.type")
        let length = try reader.readUInt8("IpAddressPort.length")
        switch type {
        case 1:
            try reader.require(length == 6, "IpAddressPort.length", at: start + 1, UInt64(length))
            let address = try reader.readUInt32("IPv4AddrPort.addr")
            let port = try reader.readUInt16("IPv4AddrPort.port")
            return IpAddressPort(address: .ipv4(address), port: port)
        case 2:
            try reader.require(length == 18, "IpAddressPort.length", at: start + 1, UInt64(length))
            let high = try reader.readUInt64("IPv6AddrPort.addr")
            let low = try reader.readUInt64("IPv6AddrPort.addr")
            let port = try reader.readUInt16("IPv6AddrPort.port")
            return IpAddressPort(address: .ipv6(high: high, low: low), port: port)
        default:
            throw .invalidValue(field: "IpAddressPort.type", offset: start, value: UInt64(type))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch address {
        case .ipv4(let value):
            writer.writeUInt8(1)
            writer.writeUInt8(6)
            writer.writeUInt32(value)
        case .ipv6(let high, let low):
            writer.writeUInt8(2)
            writer.writeUInt8(18)
            writer.writeUInt64(high)
            writer.writeUInt64(low)
        }
        writer.writeUInt16(port)
    }

    /// "192.0.2.1:6084" or "[2001:db8::1]:6084" (uncompressed groups).
    public var text: String {
        switch address {
        case .ipv4(let value):
            let parts = [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }
            return parts.joined(separator: ".") + ":" + String(port)
        case .ipv6(let high, let low):
            var groups: [String] = []
            for word in [high, low] {
                for shift in [48, 32, 16, 0] {
                    groups.append(String((word >> UInt64(shift)) & 0xFFFF, radix: 16))
                }
            }
            return "[" + groups.joined(separator: ":") + "]:" + String(port)
        }
    }
}
