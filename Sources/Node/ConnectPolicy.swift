import Reload
import Wire

/// Where an Attach (RFC 6940 §6.5.1) or AppAttach (§6.5.2) may make this node connect: the
/// requester names the address, and the answerer opens a DTLS connection to it
/// (§6.5.1.13), so without a policy any enrolled peer could point us at anything. Refused:
/// port 0; the unspecified, broadcast, multicast and reserved addresses (RFC 6890: 0.0.0.0/8,
/// 255.255.255.255, 224.0.0.0/4, 240.0.0.0/4; ::, ff00::/8), and IPv4-mapped IPv6 addresses
/// by the IPv4 rules (RFC 4291 §2.5.5.2); loopback (127.0.0.0/8, ::1) unless this node's own
/// candidates are loopback too (an overlay of processes on one host, as `p2psip testnet`).
/// Each requester also has a budget of connects (`NodeConfiguration.connectsPerMinute`,
/// `connectBurst`, at most `maximumConnectRequesters` requesters remembered).
struct ConnectPolicy {
    let loopbackAllowed: Bool
    private var budgets: TokenBucketTable

    init(ownCandidates: [IpAddressPort], configuration: NodeConfiguration) {
        loopbackAllowed = !ownCandidates.isEmpty && ownCandidates.allSatisfy { ConnectPolicy.isLoopback($0.address) }
        budgets = TokenBucketTable(
            capacity: configuration.maximumConnectRequesters, ratePerMinute: configuration.connectsPerMinute,
            burst: configuration.connectBurst)
    }

    /// Requesters with a budget remembered now (at most `maximumConnectRequesters`).
    var requesters: Int { budgets.count }

    enum Refusal: Equatable {
        case address
        case budget
    }

    /// Whether to connect to `address` for `requester` now; a connect allowed takes one of the
    /// requester's tokens.
    mutating func admit(_ address: IpAddressPort, for requester: NodeId, now: WallTime) -> Refusal? {
        guard allows(address) else { return .address }
        if case .refused = budgets.admit(requester.bytes, now: now) { return .budget }
        return nil
    }

    func allows(_ candidate: IpAddressPort) -> Bool {
        guard candidate.port != 0 else { return false }
        switch candidate.address {
        case .ipv4(let value):
            return allowsIPv4(value)
        case .ipv6(let high, let low):
            if high == 0 && low >> 32 == 0xFFFF { return allowsIPv4(UInt32(truncatingIfNeeded: low)) }
            if high == 0 && low == 0 { return false }
            if high >> 56 == 0xFF { return false }
            if high == 0 && low == 1 { return loopbackAllowed }
            return true
        }
    }

    func allowsIPv4(_ value: UInt32) -> Bool {
        let first = value >> 24
        if first == 0 || first >= 224 { return false }
        if first == 127 { return loopbackAllowed }
        return true
    }

    static func isLoopback(_ address: IpAddressPort.Address) -> Bool {
        switch address {
        case .ipv4(let value): return value >> 24 == 127
        case .ipv6(let high, let low): return (high == 0 && low == 1) || (high == 0 && low >> 32 == 0xFFFF && (low >> 24) & 0xFF == 127)
        }
    }
}
