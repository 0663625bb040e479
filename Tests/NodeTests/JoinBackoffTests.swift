import Crypto
import Node
import Reload
import Simulator
import Storage
import Testing
import Wire

/// A node that cannot join keeps trying, but after a backoff that grows (bounded), and a
/// connect refused at once (as the peer's runner does when its link table refuses) never
/// recurses into the next attempt (RFC 6940 §11.4: the bootstrap list is tried in turn).
@Suite struct JoinBackoffTests {
    @Test func unreachableBootstrapNodesAreRetriedWithBackoffNotInALoop() throws {
        let random = try RandomGenerator(source: .fixed(Array(repeating: 7, count: RandomGenerator.minimumFixedSeedBytes)))
        let wall = WallTime(secondsSince1970: 1_790_000_000)
        let pki = try SimulatedPKI(overlay: "backoff.example", random: random, now: wall)
        var configuration = NodeConfiguration(overlayName: "backoff.example")
        configuration.mayStartOverlay = false
        let node = OverlayNode(
            identity: try pki.makeIdentity(user: "lonely@backoff.example"), configuration: configuration,
            verifier: try pki.makeVerifier(), random: random, ownCandidates: [.ipv4(10, 0, 0, 1, port: 6084)],
            bootstrapAddresses: [.ipv4(10, 0, 0, 2, port: 6084), .ipv4(10, 0, 0, 3, port: 6084)],
            now: NodeTime(monotonic: .zero, wall: wall), backend: InMemoryBackend())

        var clock = Instant.zero
        var connects: [UInt64] = []
        var steps = 0
        // Every connect fails at once, inside the same turn of the loop.
        func run(_ actions: [NodeAction]) {
            var queue = actions
            while !queue.isEmpty && steps < 10_000 {
                steps += 1
                if case .connect(let address, let expected) = queue.removeFirst() {
                    connects.append(clock.nanoseconds / 1_000_000)
                    queue += node.connectFailed(address: address, expectedNodeId: expected, now: NodeTime(monotonic: clock, wall: wall))
                }
            }
        }
        run(node.start(now: NodeTime(monotonic: clock, wall: wall)))
        let end = Instant.zero.adding(milliseconds: 120_000)
        while let next = node.nextDeadline, next <= end, steps < 10_000 {
            clock = max(clock, next)
            run(node.tick(now: NodeTime(monotonic: clock, wall: wall)))
        }
        #expect(steps < 10_000, "the node spun: \(connects.count) connects")
        // 120 s with a backoff from 0.25-0.5 s doubling to 8-16 s: about a dozen attempts.
        #expect(connects.count >= 6 && connects.count <= 30, "\(connects.count) connects at \(connects) ms")
        let gaps = zip(connects.dropFirst(), connects).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 250 }, "attempts closer than the first backoff: \(gaps)")
        #expect((gaps.last ?? 0) >= 8000, "the backoff did not grow: \(gaps)")
    }
}
