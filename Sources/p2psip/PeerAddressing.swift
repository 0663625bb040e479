import Link
import Platform
import Reload

/// The three forms of one transport address in the peer: the socket's (`SocketAddress`),
/// the RELOAD wire form (`IpAddressPort`, §6.3.1.1, which the Node speaks), and the link
/// layer's opaque key (`PeerAddress`: family byte, address bytes, port in network order).
enum PeerAddressing {
    static func peerAddress(_ address: SocketAddress) -> PeerAddress {
        let family: UInt8 = address.isIPv6 ? 6 : 4
        let port = address.port
        return PeerAddress(bytes: [family] + address.addressBytes + [UInt8(port >> 8), UInt8(port & 0xff)])!
    }

    static func socketAddress(_ address: PeerAddress) -> SocketAddress? {
        let bytes = address.bytes
        guard let family = bytes.first else { return nil }
        let length = family == 6 ? 16 : 4
        guard (family == 4 || family == 6) && bytes.count == 1 + length + 2 else { return nil }
        let port = UInt16(bytes[1 + length]) << 8 | UInt16(bytes[2 + length])
        let host = Array(bytes[1..<(1 + length)])
        return family == 6 ? .v6(address: host, port: port) : .v4(address: host, port: port)
    }

    static func ipAddressPort(_ address: SocketAddress) -> IpAddressPort {
        let bytes = address.addressBytes
        if address.isIPv6 {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            return IpAddressPort(address: .ipv6(high: high, low: low), port: address.port)
        }
        return IpAddressPort.ipv4(bytes[0], bytes[1], bytes[2], bytes[3], port: address.port)
    }

    static func socketAddress(_ address: IpAddressPort) -> SocketAddress {
        switch address.address {
        case .ipv4(let value):
            return .v4(address: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }, port: address.port)
        case .ipv6(let high, let low):
            var bytes: [UInt8] = []
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
            return .v6(address: bytes, port: address.port)
        }
    }

    static func peerAddress(_ address: IpAddressPort) -> PeerAddress { peerAddress(socketAddress(address)) }

    static func ipAddressPort(_ address: PeerAddress) -> IpAddressPort? { socketAddress(address).map { ipAddressPort($0) } }
}
