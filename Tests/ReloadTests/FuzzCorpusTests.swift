import Foundation
import Reload
import Testing
import Wire

/// The seed corpus of the `reload` fuzz target (Tests/Fuzz/reload/corpus): every sample
/// message bare and framed, an ACK, fragments, and standalone stored values. Rewrite it with
/// `RELOAD_WRITE_CORPUS=1 swift test --filter FuzzCorpusTests`; the test checks that the
/// committed files are exactly what the samples produce.
@Suite struct FuzzCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fuzz/reload/corpus").standardizedFileURL

    static func corpus() throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for (index, sample) in try Samples.all().enumerated() {
            let name = String(format: "%02d-", index) + sample.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
            let bytes = try sample.message.encode()
            files[name + ".bin"] = bytes
            files[name + ".framed.bin"] = try FramedMessage.data(sequence: UInt32(index), message: bytes).encoded()
        }
        files["ack.bin"] = try FramedMessage.ack(ackSequence: 7, received: 0xFFFF_0000).encoded()
        let store = try Samples.message(.storeRequest(try Samples.storeRequest()), 99).encode()
        for (index, fragment) in try Fragmentation.fragment(store, maximumBytes: 700, Samples.configuration).enumerated() {
            files["fragment-\(index).bin"] = fragment
        }
        files["stored-data-dictionary.bin"] = try Samples.sipRoute().encoded()
        files["stored-data-array.bin"] = try Samples.certificateValue().encoded()
        files["stored-data-single.bin"] = try Samples.turnValue().encoded()
        return files
    }

    @Test func committedCorpusMatchesTheSamples() throws {
        let files = try FuzzCorpusTests.corpus()
        if ProcessInfo.processInfo.environment["RELOAD_WRITE_CORPUS"] == "1" {
            try? FileManager.default.removeItem(at: FuzzCorpusTests.directory)
            try FileManager.default.createDirectory(at: FuzzCorpusTests.directory, withIntermediateDirectories: true)
            for (name, bytes) in files {
                try Data(bytes).write(to: FuzzCorpusTests.directory.appendingPathComponent(name))
            }
        }
        let committed = try FileManager.default.contentsOfDirectory(atPath: FuzzCorpusTests.directory.path)
        #expect(Set(committed) == Set(files.keys))
        for (name, bytes) in files {
            let data = try Data(contentsOf: FuzzCorpusTests.directory.appendingPathComponent(name))
            #expect(Array(data) == bytes, "\(name)")
        }
    }
}
