import Foundation
import Testing
@testable import Link
import Reload
import Wire
import TestSupport

/// The limits on half-open DTLS handshakes (after a valid cookie, RFC 6347 §4.2.1) per source
/// host, their lifetime, the oldest giving way when the table is full, and the ban of an
/// address whose identity was refused (RFC 6940 §6.5.1.11).
@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct HandshakeLimitsTests {
    static let start = DatagramListenerTests.start

    /// 192.0.2.`host`:`port` in the peer's IP form (`PeerAddress(IpAddressPort)`).
    static func address(host: UInt8, port: UInt16) -> PeerAddress {
        PeerAddress(IpAddressPort.ipv4(192, 0, 2, host, port: port))
    }

    /// A client that ran the cookie exchange with `listener` from `address`, and its
    /// ClientHello with the cookie.
    static func cookieHello(_ pki: TestPKI, at address: PeerAddress, listener: DatagramListener) throws -> (SecureSession, [UInt8]) {
        let (client, hello) = try DatagramListenerTests.hello(try TestConfigurations.make(pki.alice, role: .client))
        return (client, try DatagramListenerTests.helloWithCookie(client, first: hello, at: address, listener: listener))
    }

    @Test func halfOpenHandshakesFromOneHostStopAtThePerSourceLimit() throws {
        let pki = try TestPKI.load()
        let limits = HandshakeSourceLimits()
        let listener = try DatagramListener(configuration: try TestConfigurations.make(pki.bob, role: .server), halfOpenLimit: 16, now: Self.start)
        var held: [SecureSession] = []  // the owner keeps the sessions: they hold their slots
        var drops: [DatagramListenerDropReason] = []
        for port in 0..<10 {
            let address = Self.address(host: 7, port: 40_000 + UInt16(port))
            let (_, withCookie) = try Self.cookieHello(pki, at: address, listener: listener)
            switch listener.receive(withCookie, from: address, now: Self.start) {
            case .accepted(let session, _): held.append(session)
            case .dropped(let reason): drops.append(reason)
            default: Issue.record("unexpected outcome for port \(port)")
            }
        }
        #expect(held.count == limits.halfOpenPerSource && listener.halfOpenCount == limits.halfOpenPerSource)
        #expect(drops == Array(repeating: .sourceLimit, count: 10 - limits.halfOpenPerSource))
        #expect(listener.counters.droppedSourceLimit == UInt64(10 - limits.halfOpenPerSource))
        // Another host is not held back by this one.
        let other = Self.address(host: 8, port: 40_000)
        let (_, otherHello) = try Self.cookieHello(pki, at: other, listener: listener)
        guard case .accepted(let otherSession, _) = listener.receive(otherHello, from: other, now: Self.start) else {
            Issue.record("another host was refused")
            return
        }
        held.append(otherSession)
        // One of the host's handshakes ends: it may start one more.
        held.removeFirst()
        let again = Self.address(host: 7, port: 41_000)
        let (_, againHello) = try Self.cookieHello(pki, at: again, listener: listener)
        guard case .accepted = listener.receive(againHello, from: again, now: Self.start) else {
            Issue.record("a freed per-source slot was not given again")
            return
        }
    }

    @Test func newHandshakesFromOneHostFollowItsTokenBucket() throws {
        let pki = try TestPKI.load()
        let limits = HandshakeSourceLimits(halfOpenPerSource: 64)
        let listener = try DatagramListener(
            configuration: try TestConfigurations.make(pki.bob, role: .server), halfOpenLimit: 64, sourceLimits: limits, now: Self.start)
        var accepted = 0
        for port in 0..<(limits.handshakeBurst + 2) {
            let address = Self.address(host: 9, port: 40_000 + UInt16(port))
            let (_, withCookie) = try Self.cookieHello(pki, at: address, listener: listener)
            if case .accepted(let session, _) = listener.receive(withCookie, from: address, now: Self.start) {
                accepted += 1
                _ = session.close(now: Self.start)  // ended: its half-open slot is free, its token spent
            }
        }
        #expect(accepted == limits.handshakeBurst)
        #expect(listener.counters.droppedSourceRate == 2)
        // One refill interval later, one more.
        let later = Self.start.adding(milliseconds: limits.handshakeRefillMilliseconds)
        let address = Self.address(host: 9, port: 50_000)
        let (_, withCookie) = try Self.cookieHello(pki, at: address, listener: listener)
        guard case .accepted = listener.receive(withCookie, from: address, now: later) else {
            Issue.record("no token after the refill interval")
            return
        }
    }

    /// Drops every datagram from the `attackers` to `victim` except ClientHellos: they answer
    /// cookies, and never send their second flight.
    static func halfOpenOnly(from attackers: Set<PeerAddress>, to victim: PeerAddress) -> (SimulatedNetwork.Datagram) -> Bool {
        return { datagram in
            attackers.contains(datagram.from) && datagram.to == victim && !ClientHelloCookie.isClientHelloRecord(datagram.bytes)
        }
    }

    @Test func aHalfOpenHandshakeEndsAfterTheHalfOpenLifetime() throws {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: 21)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob), index: 2)
        let mallory = try network.add("mallory", try TestManagers.configuration(pki.alice), index: 3)
        network.dropFilter = Self.halfOpenOnly(from: [mallory.address], to: bob.address)
        let started = network.now
        try network.connect(mallory, to: bob)
        #expect(network.run(forMilliseconds: 100) { bob.manager.handshakesInProgress == 1 })
        let accepted = network.now
        let lifetime = HandshakeSourceLimits().halfOpenLifetimeMilliseconds
        #expect(lifetime < HandshakeTimeouts.rfc6347.totalMilliseconds)
        // Held until the lifetime, not the handshake's whole minute.
        #expect(!network.run(until: accepted.adding(milliseconds: lifetime - 10)) { bob.manager.handshakesInProgress == 0 })
        #expect(network.run(forMilliseconds: 100) { bob.manager.handshakesInProgress == 0 })
        #expect(bob.failed.map { $0.address } == [mallory.address])
        #expect(bob.failed.map { $0.failure } == [.session(.handshakeTimeout)])
        #expect(bob.failed[0].at <= started.adding(milliseconds: lifetime + 10))
        #expect(bob.manager.linkCount == 0 && bob.manager.listenerCounters.halfOpenExpired == 1)
    }

    @Test func withTheTableFullOfHalfOpenHandshakesAnHonestOneGetsInWithinABoundedTime() throws {
        let pki = try TestPKI.load()
        let seed: UInt64 = 22
        let network = SimulatedNetwork(seed: seed)
        let slots = 8
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob, maximumLinks: 64, maximumHandshakes: slots), index: 2)
        // Forty hosts that answer cookies and never finish, arriving ten a second, the first
        // eight at once (each its own host: the per-host limits do not stop them).
        var attackers: [SimulatedPeer] = []
        for index in 0..<40 { attackers.append(try network.add("mallory\(index)", try TestManagers.configuration(pki.alice), index: 100 + index)) }
        network.dropFilter = Self.halfOpenOnly(from: Set(attackers.map { $0.address }), to: bob.address)
        for attacker in attackers.prefix(slots) { try network.connect(attacker, to: bob) }
        #expect(network.run(forMilliseconds: 100) { bob.manager.handshakesInProgress == slots })

        let alice = try network.add("alice", try TestManagers.configuration(pki.alice), index: 1)
        let aliceStarted = network.now
        try network.connect(alice, to: bob)
        var next = slots
        var established: Instant? = nil
        var most = 0
        network.observer = { _ in most = max(most, bob.manager.handshakesInProgress) }
        while established == nil && network.now < aliceStarted.adding(milliseconds: 10_000) {
            if next < attackers.count {
                try network.connect(attackers[next], to: bob)
                next += 1
            }
            if network.run(forMilliseconds: 100, stopWhen: { bob.manager.link(to: alice.address)?.state == .established }) {
                established = network.now
            }
        }
        let took = established.map { $0.milliseconds(since: aliceStarted) }
        // Bound: the eviction age plus the client's first retransmission (1 s) and a few round trips.
        let bound = LinkLimits.halfOpenEvictionMinimumAgeMilliseconds + UInt64(LinkLimits.rfcInitialRetransmitMilliseconds) + 500
        #expect(took != nil && took! <= bound, "seed \(seed): honest handshake took \(took.map { "\($0) ms" } ?? "forever") (bound \(bound) ms)")
        #expect(bob.manager.listenerCounters.halfOpenEvicted >= 1)
        #expect(most <= slots)
        #expect(bob.established.map { $0.address } == [alice.address])
    }

    @Test func anAddressRefusedForItsIdentityIsBannedThenAllowedAgain() throws {
        let pki = try TestPKI.load()
        let network = SimulatedNetwork(seed: 23)
        let bob = try network.add("bob", try TestManagers.configuration(pki.bob), index: 2)
        let mallory = try network.add("mallory", try TestManagers.configuration(pki.alice), index: 3)
        let carol = try network.add("carol", try TestManagers.configuration(pki.alice), index: 4)
        try network.connect(mallory, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { bob.manager.link(to: mallory.address)?.state == .established })

        // bob's authenticator refused mallory's certificate (as PeerCore does on `.established`).
        let refused = network.now
        network.perform(bob.manager.refuse(mallory.address, now: network.now), by: bob)
        #expect(network.run(forMilliseconds: 1_000) { mallory.manager.linkCount == 0 })
        #expect(bob.manager.isBanned(mallory.address, now: network.now))

        // While banned, mallory's new handshake gets no further than the cookie.
        try network.connect(mallory, to: bob)
        #expect(!network.run(forMilliseconds: 10_000) { bob.manager.link(to: mallory.address) != nil })
        #expect(bob.manager.listenerCounters.droppedBanned >= 1 && bob.manager.listenerCounters.bans == 1)
        // Another address is not banned.
        try network.connect(carol, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { bob.manager.link(to: carol.address)?.state == .established })

        // After the ban, mallory may try again (and would be checked again).
        let ban = HandshakeSourceLimits().banMilliseconds
        #expect(network.run(until: refused.adding(milliseconds: ban + HandshakeTimeouts.rfc6347.totalMilliseconds)) { mallory.manager.linkCount == 0 })
        #expect(!bob.manager.isBanned(mallory.address, now: network.now))
        try network.connect(mallory, to: bob)
        #expect(network.run(forMilliseconds: 5_000) { bob.manager.link(to: mallory.address)?.state == .established })
    }

    @Test func theOldestGivesWayOnlyWhenOldEnough() {
        let start = Instant(nanoseconds: 1_000_000_000)
        var young = OldestGivesWay<Int>(now: start.adding(milliseconds: 999), minimumAgeMilliseconds: 1_000)
        young.consider(1, started: start)
        #expect(young.chosen == nil)
        var choice = OldestGivesWay<Int>(now: start.adding(milliseconds: 1_500), minimumAgeMilliseconds: 1_000)
        choice.consider(1, started: start.adding(milliseconds: 100))
        choice.consider(2, started: start)
        choice.consider(3, started: start)
        choice.consider(4, started: start.adding(milliseconds: 200))
        #expect(choice.chosen == 2)
        #expect(OldestGivesWay<Int>(now: start, minimumAgeMilliseconds: 0).chosen == nil)
    }

    @Test func sourceLimitsAreChecked() {
        #expect(HandshakeSourceLimits().problem == nil)
        #expect(HandshakeSourceLimits(halfOpenPerSource: 0).problem != nil)
        #expect(HandshakeSourceLimits(handshakeBurst: 0).problem != nil)
        #expect(HandshakeSourceLimits(halfOpenLifetimeMilliseconds: 500, evictionMinimumAgeMilliseconds: 1_000).problem != nil)
        #expect(LinkLimits.halfOpenEvictionMinimumAgeMilliseconds < LinkLimits.defaultHalfOpenLifetimeMilliseconds)
        #expect(LinkLimits.defaultHalfOpenLifetimeMilliseconds < LinkLimits.defaultHandshakeTotalMilliseconds)
        #expect(LinkLimits.defaultHalfOpenPerSource < LinkLimits.defaultHalfOpenLimit)
    }
}
