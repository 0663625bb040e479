/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c): the simulation's own seeded
/// generator for network decisions (fast, and independent of the nodes' CTR-DRBGs, which are
/// seeded from it), and the tests' (TestSupport's `SeededRandom`), so that a printed seed
/// names the same run again. The sequence must never change. Not for secrets.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        return next() % bound
    }

    public mutating func chance(perMillion: UInt64) -> Bool {
        return below(1_000_000) < perMillion
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        var output: [UInt8] = []
        while output.count < count {
            var word = next()
            for _ in 0..<8 where output.count < count {
                output.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return output
    }
}
