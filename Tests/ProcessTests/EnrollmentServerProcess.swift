import Foundation
import Testing
import TestSupport

/// A CA made with `p2psip ca init` and its `p2psip ca serve` running as a child process on
/// 127.0.0.1, on a port the kernel chose (read from the server's first log line).
final class EnrollmentServerProcess {
    static let overlay = "overlay.example.org"
    let scratch: TemporaryDirectory
    let ca: URL
    /// `ca serve`; its standard output is the log the tests read.
    private(set) var process: RunningProcess!
    private(set) var port: UInt16 = 0

    var directory: URL { scratch.url }
    var url: String { "https://127.0.0.1:\(port)" }
    var rootCertificate: String { ca.appendingPathComponent("root-cert.pem").path }
    /// What `ca serve` logged so far.
    var log: String { process.output }

    /// `ca init`, the given users (NAME: max Node-IDs or nil), a policy with `rateBurst` for
    /// users and addresses (and `renewalOpensPercent` when given), then `ca serve` with
    /// `serveOptions`; waits (bounded) until it listens.
    init(users: [(String, Int?)], rateBurst: Int = 1000, renewalOpensPercent: Int? = nil, serveOptions: [String] = []) throws {
        scratch = try TemporaryDirectory("p2psip-ca")
        ca = scratch.file("ca")
        try Subprocess.require(Tool.p2psip, [
            "ca", "init", "--dir", "ca", "--overlay", Self.overlay, "--listen", "127.0.0.1:0",
            "--enrollment-url", "https://\(Self.overlay)/enroll", "--bootstrap", "127.0.0.1:6084",
        ], in: directory)
        for (user, maximum) in users {
            try "\(user)-password\n".write(to: file("\(user).pw"), atomically: true, encoding: .utf8)
            var arguments = ["ca", "user", "add", "--dir", "ca", "--user", user, "--password-file", "\(user).pw", "--iterations", "1000"]
            if let maximum { arguments += ["--max-node-ids", "\(maximum)"] }
            try Subprocess.require(Tool.p2psip, arguments, in: directory)
        }
        try relaxRates(burst: rateBurst)
        if let renewalOpensPercent {
            let file = ca.appendingPathComponent("accounts")
            let text = try String(contentsOf: file, encoding: .utf8)
            let changed = text.replacingOccurrences(of: "renewal-opens-percent = 50", with: "renewal-opens-percent = \(renewalOpensPercent)")
            guard changed != text else { throw ProcessFailure("ca init wrote no renewal-opens-percent = 50: \(text)") }
            try changed.write(to: file, atomically: true, encoding: .utf8)
        }
        process = try Subprocess.start(
            Tool.p2psip, ["ca", "serve", "--dir", "ca", "--listen", "127.0.0.1:0"] + serveOptions, in: directory, output: .separate)
        port = try waitForPort()
    }

    /// The accounts file's rate limits (the tests make many requests from one address).
    func relaxRates(burst: Int) throws {
        let file = ca.appendingPathComponent("accounts")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "user-rate-burst = 5", with: "user-rate-burst = \(burst)")
        text = text.replacingOccurrences(of: "address-rate-burst = 10", with: "address-rate-burst = \(burst)")
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func waitForPort() throws -> UInt16 {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: "on https://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = UInt16(digits) { return port }
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        throw ProcessFailure("ca serve did not start: \(log) \(process.error)")
    }

    /// SIGTERM, then the exit status (bounded wait; killed if it does not stop).
    @discardableResult
    func stop() -> Int32? { process?.stop() ?? nil }

    /// Stops the server before its directory goes.
    deinit { stop() }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// `p2psip enroll` of `user` into DIR (relative to the test directory).
    func enroll(_ user: String, into dir: String, password: String? = nil, extra: [String] = []) throws -> ProcessOutput {
        var passwordFile = "\(user).pw"
        if let password {
            passwordFile = "\(user)-other.pw"
            try password.write(to: file(passwordFile), atomically: true, encoding: .utf8)
        }
        return try Tool.p2psip([
            "enroll", "--server", url, "--user", user, "--password-file", passwordFile, "--dir", dir,
            "--root-cert", rootCertificate, "--timeout-ms", "20000",
        ] + extra, in: directory)
    }

    /// curl with the root as the only trust anchor.
    func curl(_ arguments: [String], seconds: Double = 30) throws -> ProcessOutput {
        return try Tool.system("curl", ["-sS", "--max-time", "20", "--cacert", rootCertificate] + arguments, in: directory, seconds: seconds)
    }
}
