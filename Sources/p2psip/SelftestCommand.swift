import Config
import Crypto
import Link
import Platform
import Wire

/// `p2psip selftest`: known-answer and round-trip checks of everything the board binary
/// stands on. One line per check, then a summary; exit 1 if any check failed. Every check
/// is bounded in time (no check waits more than `SelftestChecks.timeoutMilliseconds`).
enum SelftestCommand {
    struct Report {
        var passed = 0
        var failed = 0
        var skipped = 0

        mutating func check(_ name: String, _ body: () -> SelftestChecks.Outcome) {
            let start = Clock.monotonicNow()
            let outcome = body()
            let elapsed = Clock.monotonicNow().milliseconds(since: start)
            let padded = name + String(repeating: " ", count: max(1, 28 - name.count))
            switch outcome {
            case .passed(let detail):
                passed += 1
                Console.out("ok    \(padded)\(elapsed) ms  \(detail)")
            case .failed(let reason):
                failed += 1
                Console.out("FAIL  \(padded)\(elapsed) ms  \(reason)")
            case .skipped(let reason):
                skipped += 1
                Console.out("skip  \(padded)\(reason)")
            }
        }
    }

    static func run(_ arguments: [String]) -> Int32 {
        var directory: String? = FileSystem.isDirectory("board-configs") ? "board-configs" : nil
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--board-configs" where index + 1 < arguments.count:
                directory = arguments[index + 1]
                index += 2
            default:
                Console.error("usage: p2psip selftest [--board-configs DIR]")
                return 2
            }
        }
        Console.out("p2psip selftest: \(BuildInfo.version) on \(BuildInfo.targetTriple) (\(BuildInfo.buildKind)), mbedTLS \(MbedTLS.version)")
        var report = Report()
        runChecks(&report, boardConfigDirectory: directory)
        Console.out("selftest: \(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped")
        return report.failed == 0 ? 0 : 1
    }

    static func runChecks(_ report: inout Report, boardConfigDirectory: String?) {
        report.check("sha256-known-answer") { .from(KnownAnswerTests.sha256(), "FIPS 180-2 B.1") }
        report.check("sha1-known-answer") { .from(KnownAnswerTests.sha1(), "FIPS 180-2 A.1") }
        report.check("drbg") { .from(KnownAnswerTests.randomGenerator(), "CTR-DRBG: fixed seed reproducible, OS seed varies") }
        guard let random = try? RandomGenerator(source: .operatingSystem) else {
            report.check("drbg-os-seed") { .failed("CTR-DRBG cannot be seeded from the operating system") }
            return
        }
        report.check("ecdsa-p256-verify-vector") { .from(KnownAnswerTests.ecdsaP256Verify(), "RFC 6979 A.2.5") }
        report.check("ecdsa-p256-sign-vector") {
            .from(KnownAnswerTests.ecdsaP256DeterministicSign(using: random), "RFC 6979 A.2.5, deterministic")
        }
        report.check("ecdsa-p256-round-trip") { .from(KnownAnswerTests.ecdsaP256RoundTrip(using: random), "new key, PEM") }
        report.check("identity-issue-verify") { SelftestChecks.identityIssueAndVerify(random: random) }
        report.check("enrollment-https-in-memory") {
            return .from(SelftestEnrollment(random: random, now: Clock.wallNow()).run(),
                         "signed configuration, TLS without client certificate, POST /enroll, certificate checked")
        }
        report.check("reload-vector") { SelftestChecks.reloadVector() }
        report.check("reload-hostile-inputs") { SelftestChecks.reloadHostileInputs() }
        report.check("dtls-session-in-memory") {
            .from(LinkSelfTest.handshake(transport: .datagram, using: random), "mutual auth, cookie, data both ways, replay dropped")
        }
        report.check("overlay-link-in-memory") {
            .from(LinkSelfTest.overlayLink(using: random), "two LinkManagers, 6000 bytes in fragments, lost frame resent at 500 ms, close")
        }
        report.check("tls-session-in-memory") {
            .from(LinkSelfTest.handshake(transport: .stream, using: random), "mutual auth, data both ways, key log")
        }
        report.check("lmdb-write-read-reopen") { SelftestChecks.lmdb() }
        report.check("udp-ipv4-loopback") { SelftestChecks.udpRoundTrip(bind: "127.0.0.1:0", random: random) }
        report.check("udp-ipv6-loopback") { SelftestChecks.udpRoundTrip(bind: "[::1]:0", random: random) }
        report.check("timer-order") { SelftestChecks.timerOrder() }
        report.check("timer-queue-bound") { SelftestChecks.timerQueueBound() }
        report.check("signal-hangup") { SelftestChecks.hangupSignal() }
        report.check("board-configs-builtin") { SelftestChecks.builtinBoardConfigs() }
        if let boardConfigDirectory {
            report.check("board-configs-files") { SelftestChecks.boardConfigFiles(in: boardConfigDirectory) }
        } else {
            report.check("board-configs-files") { .skipped("no board-configs directory here (use --board-configs DIR)") }
        }
        report.check("board-config-errors") { SelftestChecks.boardConfigErrors() }
    }
}
