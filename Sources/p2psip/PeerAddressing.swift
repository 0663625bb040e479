import Link
import Platform
import Reload
import SIPFront

/// The socket's form of a transport address (`SocketAddress`, Platform) mapped to the RELOAD
/// wire form (`IpAddressPort`, RFC 6940 §6.3.1.1, which the core speaks) and the connection
/// tables' key (`PeerAddress`, whose byte form Link defines from `IpAddressPort`).
enum PeerAddressing {
    static func peerAddress(_ address: SocketAddress) -> PeerAddress { PeerAddress(ipAddressPort(address)) }

    static func socketAddress(_ address: PeerAddress) -> SocketAddress? { address.ipAddressPort.map { socketAddress($0) } }

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

    /// A phone's source as the SIP front sees it: the link layer's address bytes as its key,
    /// the printable host and port for Via received/rport (RFC 3261 §18.2.1, RFC 3581).
    static func phone(_ address: SocketAddress) -> PhoneAddress {
        PhoneAddress(bytes: peerAddress(address).bytes, host: Array(address.hostText.utf8), port: address.port)
    }
}
