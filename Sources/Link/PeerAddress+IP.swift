import Reload

// The byte form the peer gives its IP transport addresses in the connection tables: family
// (4 or 6), the address in network order, the port in network order. Defined once here;
// the executable maps socket addresses through `IpAddressPort` (RFC 6940 §6.3.1.1).
extension PeerAddress {
    public init(_ address: IpAddressPort) {
        var bytes: [UInt8]
        switch address.address {
        case .ipv4(let value):
            bytes = [4] + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) }
        case .ipv6(let high, let low):
            bytes = [6]
            for word in [high, low] {
                for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
        }
        bytes += [UInt8(address.port >> 8), UInt8(address.port & 0xff)]
        self.init(bytes: bytes)!
    }

    /// The IP address and port, when the bytes are in the form above.
    public var ipAddressPort: IpAddressPort? {
        guard let family = bytes.first else { return nil }
        let length = family == 6 ? 16 : 4
        guard (family == 4 || family == 6) && bytes.count == 1 + length + 2 else { return nil }
        let port = UInt16(bytes[1 + length]) << 8 | UInt16(bytes[2 + length])
        if family == 4 {
            return IpAddressPort.ipv4(bytes[1], bytes[2], bytes[3], bytes[4], port: port)
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 1...8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 9...16 { low = low << 8 | UInt64(bytes[index]) }
        return IpAddressPort(address: .ipv6(high: high, low: low), port: port)
    }

    /// The host part that per-source limits count by (RFC 6347 §4.2.1 binds a cookie to the
    /// whole transport address, but one host can use every port): family and IP address for
    /// the IP form above, all the bytes otherwise.
    public var sourceHost: [UInt8] {
        guard ipAddressPort != nil else { return bytes }
        return Array(bytes.dropLast(2))
    }
}
