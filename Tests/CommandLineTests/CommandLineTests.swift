import Foundation
import Testing
import TestSupport

/// The p2psip binary as users run it: exit codes and messages.
@Suite struct CommandLineTests {
    static let root = BuiltProducts.projectRoot

    /// A generous bound: selftest runs DTLS handshakes, on a loaded machine too.
    static func run(_ arguments: [String], in directory: URL = root) throws -> ProcessOutput {
        return try Subprocess.run(BuiltProducts.p2psip, arguments, in: directory, seconds: 300)
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
        let scratch = try TemporaryDirectory("p2psip-cli")
        defer { scratch.remove() }
        let directory = scratch.url
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
        let scratch = try TemporaryDirectory("p2psip-decode")
        defer { scratch.remove() }
        let truncated = scratch.file("truncated.hex")
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
