import Simulator

/// The seeded generator of the tests and benchmarks: the simulator's SplitMix64, so that a
/// seed printed by a failing test names the same inputs when it is run again (the
/// known-answer test in TestSupportTests holds the sequence).
public typealias SeededRandom = SimulationRandom

extension SimulationRandom {
    /// Two outputs, the first as the high half (128-bit ring identifiers).
    public mutating func next128() -> UInt128 { UInt128(next()) << 64 | UInt128(next()) }

    /// True with probability `permille`/1000, from one output.
    public mutating func chance(permille: UInt64) -> Bool { next() % 1_000 < permille }

    /// A number in 0..<bound from one output, by remainder: slightly biased, unlike the
    /// standard library's `Int.random(in:using:)`, but it is what the seeded process tests
    /// chose their peers and victims with.
    public mutating func remainder(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }
}
