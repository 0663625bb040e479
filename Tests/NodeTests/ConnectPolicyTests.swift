import Reload
import Testing
import Wire

@testable import Node

/// Where an Attach or AppAttach may make a node connect (RFC 6940 §6.5.1.13), and how often.
@Suite struct ConnectPolicyTests {
    static let routable = IpAddressPort.ipv4(192, 0, 2, 10, port: 6084)
    static let loopback = IpAddressPort.ipv4(127, 0, 0, 1, port: 6084)

    static func policy(own: IpAddressPort = routable, perMinute: Int = 30, burst: Int = 20) -> ConnectPolicy {
        var configuration = NodeConfiguration(overlayName: "policy.test")
        configuration.connectsPerMinute = perMinute
        configuration.connectBurst = burst
        configuration.maximumConnectRequesters = 4
        return ConnectPolicy(ownCandidates: [own], configuration: configuration)
    }

    static func v6(_ high: UInt64, _ low: UInt64) -> IpAddressPort { IpAddressPort(address: .ipv6(high: high, low: low), port: 6084) }

    @Test func refusedAddresses() {
        let policy = Self.policy()
        let refused: [IpAddressPort] = [
            .ipv4(0, 0, 0, 0, port: 6084), .ipv4(0, 1, 2, 3, port: 6084), Self.loopback, .ipv4(127, 9, 9, 9, port: 1),
            .ipv4(224, 0, 0, 1, port: 6084), .ipv4(239, 255, 255, 250, port: 1900), .ipv4(255, 255, 255, 255, port: 6084),
            .ipv4(240, 0, 0, 1, port: 6084), .ipv4(192, 0, 2, 10, port: 0),
            Self.v6(0, 0), Self.v6(0, 1), Self.v6(0xFF02 << 48, 1), Self.v6(0, 0xFFFF_7F00_0001), Self.v6(0, 0xFFFF_E000_0001),
        ]
        for address in refused { #expect(!policy.allows(address), "\(address.text)") }
        let allowed: [IpAddressPort] = [
            Self.routable, .ipv4(10, 1, 2, 3, port: 6084), .ipv4(192, 168, 1, 1, port: 5000), .ipv4(223, 255, 255, 254, port: 1),
            Self.v6(0x2001_0DB8 << 32, 1), Self.v6(0xFE80 << 48, 5), Self.v6(0, 0xFFFF_C000_020A),
        ]
        for address in allowed { #expect(policy.allows(address), "\(address.text)") }
    }

    /// Loopback is allowed when the node itself is on loopback (processes on one host).
    @Test func loopbackOnlyForALoopbackNode() {
        #expect(Self.policy(own: Self.loopback).allows(.ipv4(127, 0, 0, 2, port: 6084)))
        #expect(Self.policy(own: Self.loopback).allows(Self.v6(0, 1)))
        #expect(!Self.policy(own: Self.loopback).allows(.ipv4(224, 0, 0, 1, port: 6084)))
    }

    /// A burst per requester, then the rate; other requesters are not affected; the table
    /// of requesters stays within its bound.
    @Test func connectBudgetPerRequester() {
        var policy = Self.policy(perMinute: 6, burst: 3)
        let mallory = NodeId(bytes: [UInt8](repeating: 1, count: 16))!
        let alice = NodeId(bytes: [UInt8](repeating: 2, count: 16))!
        let at = { (seconds: Int64) in WallTime(secondsSince1970: 1_800_000_000 + seconds) }
        for _ in 0..<3 { #expect(policy.admit(Self.routable, for: mallory, now: at(0)) == nil) }
        #expect(policy.admit(Self.routable, for: mallory, now: at(0)) == .budget)
        #expect(policy.admit(Self.routable, for: alice, now: at(0)) == nil)
        #expect(policy.admit(Self.routable, for: mallory, now: at(10)) == nil)
        #expect(policy.admit(Self.loopback, for: alice, now: at(10)) == .address)
        for index in 0..<100 {
            _ = policy.admit(Self.routable, for: NodeId(bytes: [UInt8](repeating: UInt8(index + 3), count: 16))!, now: at(20))
        }
        #expect(policy.requesters <= 4)
    }
}
