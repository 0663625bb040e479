import BenchSupport
import Foundation
import Testing
import TestSupport

/// Issue #16's load test, short: a `p2psip demo` overlay of 3 peers; the honest workload
/// (stores, fetches, REGISTERs, calls through peer 0) alone, then beside each attacker of
/// dos-bench in turn, 8 operations each (2 of each kind). Where a defence exists (cookies and handshake
/// limits, identity checks, the SIP front's Digest failure limits) every honest operation
/// must succeed and the peer's tables stay within the board's bounds. The figures come from
/// `swift run -c release dos-bench`; this only says yes or no.
@Suite(.serialized, .enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct DoSLoadTests {
    static let operations = 8
    static let rate = 4.0

    @Test func honestUsersSucceedBesideEachAttacker() throws {
        // Below TestnetProcess's and the benchmarks' port ranges: a demo needs 65 + N ports.
        let harness = try DoSHarness(name: "p2psip-dos", peers: 3, basePort: 5000 + Int(getpid() % 40) * 100)
        defer { harness.down() }
        let alone = try harness.run(nil, operations: Self.operations, rate: Self.rate)
        #expect(alone.honest.succeeded == Self.operations, "alone: \(alone.honest.failures)")
        let maximumHandshakes = try #require(boardValue("max-handshakes"))

        for attack in [Attacker.Kind.clienthello, .halfopen, .foreignca, .guess] {
            let run = try harness.run(attack, operations: Self.operations, rate: Self.rate, floodRate: 1000)
            let what = "\(attack.rawValue): honest \(run.honest.failures), attacker \(run.attacker), peer \(run.counterChanges)"
            print("dos load \(attack.rawValue): honest \(run.honest.succeeded)/\(run.honest.operations), attacker sent \(run.attacker.sent), "
                + "accepted \(run.attacker.accepted), refused \(run.attacker.refused), \(run.attacker.notes)")
            #expect(run.honest.successRate >= 0.99, "\(what)")
            #expect(run.attacker.sent > 0, "\(what)")
            #expect(run.attacker.notes.keys.allSatisfy { !$0.hasPrefix("attacker error") }, "\(what)")
            #expect(run.handshakesInProgress >= 0 && run.handshakesInProgress <= maximumHandshakes, "\(what)")
            switch attack {
            case .clienthello:
                // Answered statelessly (RFC 6347 §4.2.1): HelloVerifyRequests, no handshake state.
                #expect((run.counterChanges["transport.hello_verify_sent"] ?? 0) > 0, "\(what)")
            case .halfopen:
                #expect(run.attacker.accepted > 0, "the half-open flood never reached a server flight: \(what)")
            case .foreignca:
                // Another CA's certificate never becomes a link (RFC 6940 §11.3 identities).
                #expect((run.counterChanges["transport.links_refused_identity"] ?? 0) + (run.counterChanges["transport.handshakes_failed"] ?? 0) > 0,
                        "\(what)")
                // The handshake completes (the certificate is checked after it, §11.3), the link
                // does not: the peer still has only its overlay links.
                #expect(run.links == alone.links, "\(what)")
            case .guess:
                #expect(run.attacker.notes["a guess registered"] == nil, "\(what)")
            case .insider: break
            }
        }

        // An enrolled insider flooding with signed Stores and Fetches: today only that every
        // peer survives it and keeps answering, and that each of the insider's requests was
        // answered or refused. The per-link budgets of the overlay are to add honest success
        // under this flood too; dos-bench measures it.
        let insider = try harness.run(.insider, operations: Self.operations, rate: Self.rate, slack: 8)
        print("dos load insider: honest \(insider.honest.succeeded)/\(insider.honest.operations), attacker sent \(insider.attacker.sent), "
            + "accepted \(insider.attacker.accepted), refused \(insider.attacker.refused), \(insider.attacker.notes)")
        #expect(insider.attacker.sent > 0, "\(insider.attacker)")
        #expect(insider.attacker.notes.keys.allSatisfy { !$0.hasPrefix("attacker error") }, "\(insider.attacker.notes)")
        for peer in harness.demo.peers.indices {
            #expect(kill(harness.demo.pid(peer), 0) == 0, "peer \(peer) died")
            #expect(DetachedOverlay.status(control: harness.demo.control(peer)) != nil, "peer \(peer) no longer answers")
        }
    }
}
