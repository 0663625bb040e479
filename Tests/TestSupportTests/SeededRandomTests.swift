import Testing
import TestSupport

/// The seeded generator gives the sequence the seeded tests were written with.
@Suite struct SeededRandomTests {
    /// Vigna's splitmix64.c, seeds 0 and 1234567 (the values other SplitMix64 ports test
    /// against too).
    @Test func knownAnswers() {
        var zero = SeededRandom(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SeededRandom(seed: 1_234_567)
        #expect([other.next(), other.next(), other.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    /// The helpers each take their answer from the next outputs, as the copies they replace did.
    @Test func helpersDeriveFromTheSameSequence() {
        var plain = SeededRandom(seed: 0x5EED)
        let outputs = (0..<4).map { _ in plain.next() }
        var helpers = SeededRandom(seed: 0x5EED)
        #expect(helpers.next128() == UInt128(outputs[0]) << 64 | UInt128(outputs[1]))
        #expect(helpers.chance(permille: 500) == (outputs[2] % 1_000 < 500))
        #expect(helpers.remainder(below: 10) == Int(outputs[3] % 10))
        #expect(SeededRandom(seed: 7).state == 7)
    }

    @Test func chanceAtTheEnds() {
        var random = SeededRandom(seed: 1)
        #expect((0..<100).allSatisfy { _ in !random.chance(permille: 0) })
        #expect((0..<100).allSatisfy { _ in random.chance(permille: 1_000) })
    }
}
