/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c): the seeded generator of the
/// tests and benchmarks, so that a seed printed by a failing test names the same inputs when
/// it is run again. Not for secrets.
///
/// The sequence must never change: seeded tests chose their seeds and expectations with it
/// (the known-answer test in TestSupportTests holds it). Sources/Simulator has its own copy
/// (SimulationRandom): production code does not depend on test code.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
