import Foundation
import Testing

/// The p2psip binary as users run it: exit codes and messages.
@Suite struct CommandLineTests {
    static let root = SourceRulesTests.root

    /// The p2psip built next to this test bundle (the test target depends on it).
    static var binary: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("p2psip"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("p2psip"),
            root.appendingPathComponent(".build/debug/p2psip"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], in directory: URL = root) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   error: String(decoding: errData, as: UTF8.self))
    }

    @Test func selftestPasses() throws {
        let result = try Self.run(["selftest"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("0 failed"))
        #expect(!result.output.contains("FAIL"))
    }

    @Test func versionNamesTargetAndLibraries() throws {
        let result = try Self.run(["version"])
        #expect(result.status == 0)
        #expect(result.output.contains("target: x86_64-linux-gnu"))
        #expect(result.output.contains("mbedTLS: 2.28"))
        #expect(result.output.contains("LMDB: 0.9"))
    }

    @Test func helpAndUnknownCommand() throws {
        #expect(try Self.run(["--help"]).output.contains("selftest"))
        let unknown = try Self.run(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("unknown command 'frobnicate'"))
        #expect(try Self.run([]).status == 2)
    }

    @Test func configCheckAcceptsEveryBoard() throws {
        for name in ["x86_64-dev", "rpi4-aarch64", "router-aarch64", "router-armv7"] {
            let result = try Self.run(["config", "check", "board-configs/\(name).conf"])
            #expect(result.status == 0, "\(name): \(result.error)")
            #expect(result.output.contains("ok"))
        }
    }

    @Test func configCheckNamesFileLineAndKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2psip-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.conf")
        try "# my router\nfingers = 16\nsuccesors = 3\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try Self.run(["config", "check", file.path])
        #expect(result.status == 2)
        #expect(result.error.contains("\(file.path):3: key 'succesors': unknown key"), "\(result.error)")
        // A data-dir that is a file is refused, naming the key.
        let blocker = directory.appendingPathComponent("blocker")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let dataFile = directory.appendingPathComponent("data.conf")
        try "data-dir = \(blocker.path)\n".write(to: dataFile, atomically: true, encoding: .utf8)
        let refused = try Self.run(["config", "check", dataFile.path])
        #expect(refused.status == 2)
        #expect(refused.error.contains("key 'data-dir'"), "\(refused.error)")
        let missing = try Self.run(["config", "check", directory.appendingPathComponent("none.conf").path])
        #expect(missing.status == 2)
        #expect(missing.error.contains("No such file"))
    }

    @Test func configKeysListsTheSchema() throws {
        let result = try Self.run(["config", "keys"])
        #expect(result.status == 0)
        for key in ["target", "fingers", "successors", "predecessors", "replication-factor", "lmdb-map-size", "max-records",
                    "max-links", "overlay-port", "sip-port", "control-socket", "data-dir", "log-level", "storage-sync"] {
            #expect(result.output.contains(key + "\n"), "\(key)")
        }
    }

    @Test func selftestVectorMatchesTheCommittedFile() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Tests/ReloadTests/Vectors/ecdsa-store-request.hex"), encoding: .utf8)
        let source = try String(contentsOf: Self.root.appendingPathComponent("Sources/p2psip/SelftestChecks+Reload.swift"), encoding: .utf8)
        let start = try #require(source.range(of: "storeRequestVectorHex = \"\"\"\n"))
        let end = try #require(source.range(of: "\"\"\"", range: start.upperBound..<source.endIndex))
        let embedded = source[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        #expect(embedded == file.filter { !$0.isWhitespace })
    }

    @Test func decodePrintsFieldsOrTheFieldAndOffset() throws {
        let vector = Self.root.appendingPathComponent("Tests/ReloadTests/Vectors/ecdsa-store-request.hex").path
        let good = try Self.run(["decode", "--hex", vector])
        #expect(good.status == 0)
        #expect(good.output.contains("message_code: 0x0007 (store_req)"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2psip-decode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let truncated = directory.appendingPathComponent("truncated.hex")
        try String(try String(contentsOf: URL(fileURLWithPath: vector), encoding: .utf8).filter { !$0.isWhitespace }.prefix(80)).write(to: truncated, atomically: true, encoding: .utf8)
        let bad = try Self.run(["decode", "--hex", truncated.path])
        #expect(bad.status == 1)
        #expect(bad.error.contains("ForwardingHeader.length"), "\(bad.error)")
        #expect(try Self.run(["decode"]).status == 2)
    }

    @Test func builtinBoardConfigsMatchTheFiles() throws {
        // Sources/Config/BuiltinBoardConfigs.swift is generated by cross/embed-board-configs.
        for name in ["x86_64-dev", "rpi4-aarch64", "router-aarch64", "router-armv7"] {
            let file = try String(contentsOf: Self.root.appendingPathComponent("board-configs/\(name).conf"), encoding: .utf8)
            let shown = try Self.run(["config", "show", name])
            #expect(shown.status == 0)
            #expect(shown.output == file, "\(name): run cross/embed-board-configs")
        }
    }
}
