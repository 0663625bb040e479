import Foundation
import Testing
@testable import Config
import TestSupport

@Suite struct BoardConfigTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var boardFiles: [URL] {
        let directory = packageRoot.appendingPathComponent("board-configs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".conf") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func parse(_ text: String) -> Result<BoardConfig, BoardConfigError> {
        BoardConfig.parse(Array(text.utf8), fileName: "test.conf")
    }

    func error(_ text: String) -> BoardConfigError? {
        if case .failure(let error) = parse(text) { return error }
        return nil
    }

    @Test func theFourRequiredBoardsExistAndParse() throws {
        let names = Set(Self.boardFiles.map { $0.deletingPathExtension().lastPathComponent })
        #expect(names.isSuperset(of: ["x86_64-dev", "rpi4-aarch64", "router-aarch64", "router-armv7"]))
        for file in Self.boardFiles {
            let result = BoardConfig.parse(Array(try Data(contentsOf: file)), fileName: file.lastPathComponent)
            if case .failure(let error) = result { Issue.record("\(error.description)") }
        }
    }

    @Test func boardsSetEveryKeyExplicitly() throws {
        // Each board file documents every key, so a reader sees the whole profile.
        for file in Self.boardFiles {
            let entries = try KeyValueFile.parse(Array(try Data(contentsOf: file)), fileName: file.lastPathComponent)
            #expect(Set(entries.map(\.key)) == Set(BoardConfigSchema.keys.map(\.name)), "\(file.lastPathComponent)")
        }
    }

    @Test func routerArmv7Profile() throws {
        let file = Self.packageRoot.appendingPathComponent("board-configs/router-armv7.conf")
        let config = try BoardConfig.parse(Array(try Data(contentsOf: file)), fileName: "router-armv7.conf").get()
        #expect(config.target == "arm-linux-gnueabihf")
        #expect(config.lmdbMapSizeBytes == 32 << 20)
        #expect(config.storageSync == .periodic(intervalMilliseconds: 10000))
        #expect(config.logLevel == .warn)
    }

    @Test func defaultsFillMissingKeys() throws {
        let config = try parse("fingers = 32\n").get()
        #expect(config.fingers == 32)
        #expect(config.successors == 3)
        #expect(config.overlayPort == 6084)
        #expect(config.storageSync == .everyCommit)
        #expect(BoardConfig.defaults.fingers == 16)
        // The SIP front's budgets (CommandLineTests holds them to SIPFrontLimits).
        let sip = try parse("sip-register-rate = 30\nsip-sources = 16\n").get()
        #expect(sip.sipRegisterRatePerMinute == 30 && sip.sipSources == 16)
        #expect(sip.sipRegisterBurst == 10 && sip.sipRequestRatePerMinute == 60 && sip.sipRequestBurst == 20)
        // The Node's request budgets (CommandLineTests holds them to NodeConfiguration).
        let budgets = try parse("request-burst = 50\nverify-budget-per-second = 90\n").get()
        #expect(budgets.requestBurst == 50 && budgets.verifyBudgetPerSecond == 90)
        #expect(budgets.requestRatePerMinute == 6000 && budgets.userRequestRatePerMinute == 6000 && budgets.userRequestBurst == 400)
    }

    @Test func sizesAndSuffixes() throws {
        #expect(try parse("lmdb-map-size = 64M\n").get().lmdbMapSizeBytes == 64 << 20)
        #expect(try parse("lmdb-map-size = 2G\n").get().lmdbMapSizeBytes == 2 << 30)
        #expect(try parse("lmdb-map-size = 512MiB\n").get().lmdbMapSizeBytes == 512 << 20)
        #expect(try parse("lmdb-map-size = 1048576\n").get().lmdbMapSizeBytes == 1 << 20)
        #expect(error("lmdb-map-size = 2T\n")?.reason == .invalidValue)
        #expect(error("lmdb-map-size = 999999999999999G\n")?.reason == .invalidValue)
        #expect(error("lmdb-map-size = 12X\n")?.reason == .invalidValue)
    }

    @Test(arguments: [
        ("fingers = 16\nfingers = 300\n", 2, "fingers", BoardConfigError.Reason.duplicateKey),
        ("fingers = 300\n", 1, "fingers", .invalidValue),
        ("fingers = -1\n", 1, "fingers", .invalidValue),
        ("fingers = 1e3\n", 1, "fingers", .invalidValue),
        ("fingers =\n", 1, "fingers", .invalidValue),
        ("Fingers = 16\n", 1, "Fingers", .syntax),
        ("fingers 16\n", 1, "", .syntax),
        ("\n# c\nfinger = 16\n", 3, "finger", .unknownKey),
        ("log-level = verbose\n", 1, "log-level", .invalidValue),
        ("target = mips-linux-gnu\n", 1, "target", .invalidValue),
        ("data-dir = var/lib\n", 1, "data-dir", .invalidValue),
        ("control-socket = /\(String(repeating: "x", count: 120))\n", 1, "control-socket", .invalidValue),
        ("successors = 3\nreplication-factor = 5\n", 2, "replication-factor", .inconsistent),
        ("overlay-port = 5060\n", 0, "sip-port", .inconsistent),
        ("target = arm-linux-gnueabihf\nlmdb-map-size = 2G\n", 2, "lmdb-map-size", .inconsistent),
        ("max-links = 4\nmax-handshakes = 8\n", 2, "max-handshakes", .inconsistent),
        ("fingers = 16\u{01}\n", 1, "", .syntax),
        ("sip-register-rate = 0\n", 1, "sip-register-rate", .invalidValue),
        ("sip-request-burst = 1001\n", 1, "sip-request-burst", .invalidValue),
        ("sip-sources = 15\n", 1, "sip-sources", .invalidValue),
        ("max-handshakes = 4\nhandshakes-per-source = 5\n", 2, "handshakes-per-source", .inconsistent),
        ("half-open-ms = 999\n", 1, "half-open-ms", .invalidValue),
        ("handshake-rate = 0\n", 1, "handshake-rate", .invalidValue),
        ("request-rate = 6001\n", 1, "request-rate", .invalidValue),
        ("\nrequest-burst = 0\n", 2, "request-burst", .invalidValue),
        ("user-request-burst = 10001\n", 1, "user-request-burst", .invalidValue),
        ("verify-budget-per-second = 9\n", 1, "verify-budget-per-second", .invalidValue),
    ])
    func badFilesNameLineAndKey(text: String, line: Int, key: String, reason: BoardConfigError.Reason) throws {
        let failure = try #require(error(text), "accepted: \(text)")
        #expect(failure.line == line)
        #expect(failure.key == key)
        #expect(failure.reason == reason)
        #expect(failure.description.hasPrefix(line > 0 ? "test.conf:\(line):" : "test.conf:"))
    }

    @Test func invalidUTF8ByteIsRefused() {
        var bytes = Array("data-dir = /tmp/".utf8)
        bytes.append(0xFF)
        bytes.append(0x0A)
        guard case .failure(let error) = BoardConfig.parse(bytes, fileName: "x.conf") else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(error.key == "data-dir")
    }

    @Test func nonASCIIPathIsFine() throws {
        #expect(try parse("data-dir = /srv/p2psip-\u{FF}\n").get().dataDirectory == "/srv/p2psip-\u{FF}")
    }

    @Test func crlfAndCommentsAndBlanks() throws {
        let config = try parse("# header\r\n\r\n  fingers\t=  20  \r\n# fingers = 99\r\n").get()
        #expect(config.fingers == 20)
    }

    @Test func limitsOnSize() {
        let long = String(repeating: "# x\n", count: KeyValueFile.maximumLines + 1)
        #expect(error(long)?.reason == .tooLarge)
        let huge = [UInt8](repeating: 0x23, count: KeyValueFile.maximumFileBytes + 1)
        guard case .failure(let failure) = BoardConfig.parse(huge, fileName: "x") else {
            Issue.record("accepted a file over the size limit")
            return
        }
        #expect(failure.reason == .tooLarge)
    }

    @Test func randomBytesNeverTrap() {
        // A cheap in-process fuzz: seeded random inputs made of config-like pieces.
        var generator = SeededRandom(seed: 0x5EED)
        let pieces = ["fingers", "=", " ", "\n", "#", "64M", "-1", "lmdb-map-size", "9999999999999999", "\u{00}", "/x", "G", "\r"]
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 12) {
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            _ = parse(text)
        }
    }

    @Test func schemaDefaultsAreValidAndDocumented() {
        for key in BoardConfigSchema.keys {
            #expect(!key.meaning.isEmpty)
            let single = "\(key.name) = \(key.defaultValue)\n"
            if case .failure(let error) = parse(single) { Issue.record("default of \(key.name): \(error.description)") }
        }
    }
}
