import Config
import Testing

/// Seeded random mutations of valid documents: the parsers answer with a value or a typed
/// error, never a trap. (A longer-running fuzz target goes through Tests/Fuzz/run.)
@Suite struct MutationTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
    }

    static func mutate(_ input: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 4)) {
            guard !bytes.isEmpty else { break }
            let index = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: index)
            case 2: bytes.insert(Array("<>&;\"'=/:x \n#".utf8)[Int(random.next() % 13)], at: index)
            default: bytes = Array(bytes[0..<index])
            }
        }
        return bytes
    }

    @Test func configurationParserNeverTraps() throws {
        let seed: UInt64 = 20_261_126
        print("MutationTests seed \(seed)")
        var random = Generator(state: seed)
        let example = try OverlayDocumentTests.vector("rfc6940-section-11.1-example.xml")
        let written = OverlayConfigurationWriter.document([OverlayDocumentTests.fullConfiguration()])
        var accepted = 0
        for round in 0..<3000 {
            let input = MutationTests.mutate(round % 2 == 0 ? example : written, &random)
            do throws(OverlayConfigError) {
                _ = try OverlayDocument.parse(input)
                accepted += 1
            } catch {
                #expect(error.location.line >= 1 && error.location.column >= 1)
            }
        }
        #expect(accepted < 3000)
    }
}
