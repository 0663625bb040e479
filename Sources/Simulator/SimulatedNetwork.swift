/// How the simulated network misbehaves. Every decision comes from the simulation's seeded
/// generator, so a seed reproduces a run exactly.
public struct SimulatedNetwork: Sendable {
    /// Probability that a message is lost, in parts per million.
    public var lossPerMillion: UInt64 = 0
    /// Probability that a message is delivered twice.
    public var duplicationPerMillion: UInt64 = 0
    /// One-way delay, uniform in this range: different delays reorder messages.
    public var minimumDelayMilliseconds: UInt64 = 1
    public var maximumDelayMilliseconds: UInt64 = 20
    /// A DTLS handshake: this many one-way delays before both ends see the link.
    public var handshakeFlights: UInt64 = 4
    /// How long after a node dies its neighbors' links report the failure (Simple
    /// Reliability gives up after its retransmissions, RFC 6940 §6.6.3.1).
    public var failureDetectionMilliseconds: UInt64 = 3500
    /// How long an unanswered connect takes to fail.
    public var connectTimeoutMilliseconds: UInt64 = 2000

    public init() {}

    /// One datagram's delay, uniform in the configured range.
    func delayMilliseconds(using random: inout SimulationRandom) -> UInt64 {
        let spread = maximumDelayMilliseconds - minimumDelayMilliseconds + 1
        return minimumDelayMilliseconds + random.below(spread)
    }

    /// Loss, duplication and reordering for the robustness tests.
    public static var lossy: SimulatedNetwork {
        var network = SimulatedNetwork()
        network.lossPerMillion = 20_000
        network.duplicationPerMillion = 10_000
        network.minimumDelayMilliseconds = 1
        network.maximumDelayMilliseconds = 60
        return network
    }
}
