import Foundation
import Testing

/// A CA made with `p2psip ca init` and its `p2psip ca serve` running as a child process on
/// 127.0.0.1, on a port the kernel chose (read from the server's first log line).
final class EnrollmentServerProcess {
    static let overlay = "overlay.example.org"
    let directory: URL
    let ca: URL
    let process = Process()
    let log = Tool.Collector()
    let errors = Tool.Collector()
    private(set) var port: UInt16 = 0

    var url: String { "https://127.0.0.1:\(port)" }
    var rootCertificate: String { ca.appendingPathComponent("root-cert.pem").path }

    /// `ca init`, the given users (NAME: max Node-IDs or nil), a policy with `rateBurst` for
    /// users and addresses, then `ca serve` with `serveOptions`; waits (bounded) until it listens.
    init(users: [(String, Int?)], rateBurst: Int = 1000, serveOptions: [String] = [], binary: URL = Tool.p2psip) throws {
        directory = try Tool.temporaryDirectory("p2psip-ca")
        ca = directory.appendingPathComponent("ca")
        let initialized = try Tool.run(binary, [
            "ca", "init", "--dir", "ca", "--overlay", Self.overlay, "--listen", "127.0.0.1:0",
            "--enrollment-url", "https://\(Self.overlay)/enroll", "--bootstrap", "127.0.0.1:6084",
        ], in: directory)
        guard initialized.status == 0 else { throw Tool.Failure(description: "ca init: \(initialized.error)") }
        for (user, maximum) in users {
            try "\(user)-password\n".write(to: directory.appendingPathComponent("\(user).pw"), atomically: true, encoding: .utf8)
            var arguments = ["ca", "user", "add", "--dir", "ca", "--user", user, "--password-file", "\(user).pw", "--iterations", "1000"]
            if let maximum { arguments += ["--max-node-ids", "\(maximum)"] }
            let added = try Tool.run(binary, arguments, in: directory)
            guard added.status == 0 else { throw Tool.Failure(description: "ca user add: \(added.error)") }
        }
        try relaxRates(burst: rateBurst)
        process.executableURL = binary
        process.arguments = ["ca", "serve", "--dir", "ca", "--listen", "127.0.0.1:0"] + serveOptions
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        log.attach(output)
        errors.attach(error)
        try process.run()
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
            let text = log.text
            if let range = text.range(of: "on https://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = UInt16(digits) { return port }
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        throw Tool.Failure(description: "ca serve did not start: \(log.text) \(errors.text)")
    }

    /// SIGTERM, then the exit status (bounded wait; killed if it does not stop).
    @discardableResult
    func stop() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// `p2psip enroll` of `user` into DIR (relative to the test directory).
    func enroll(_ user: String, into dir: String, password: String? = nil, extra: [String] = []) throws -> Tool.Output {
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
    func curl(_ arguments: [String], seconds: Double = 30) throws -> Tool.Output {
        return try Tool.system("curl", ["-sS", "--max-time", "20", "--cacert", rootCertificate] + arguments, in: directory, seconds: seconds)
    }
}
