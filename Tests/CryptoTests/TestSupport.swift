import Crypto
import Foundation
import Testing

/// Helpers for the identity tests: a seeded DRBG, fixed times, and an openssl runner.
enum Fixture {
    static func random(_ label: UInt8 = 1) -> RandomGenerator {
        return try! RandomGenerator(source: .fixed([UInt8](repeating: label, count: 96)))
    }

    static let notBefore = CertificateTime(year: 2026, month: 1, day: 1)
    static let notAfter = CertificateTime(year: 2027, month: 1, day: 1)
    static let now = CertificateTime(year: 2026, month: 6, day: 1, hour: 12)
    static let overlay = "overlay.example.org"

    static func root(_ random: RandomGenerator) throws -> CertificateIssuer {
        let key = try PrivateKey.generateP256(using: random)
        return try CertificateIssuer.createRoot(
            key: key, commonName: "p2psip root overlay.example.org", serial: [1], notBefore: notBefore,
            notAfter: CertificateTime(year: 2036, month: 1, day: 1), using: random)
    }

    static func nodeId(_ byte: UInt8, length: Int = 16) -> [UInt8] {
        return [UInt8](repeating: byte, count: length)
    }
}

/// Runs openssl (or another tool) in a scratch directory.
final class Tool {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2psip-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static var opensslPath: String? {
        for candidate in ["/usr/bin/openssl", "/usr/local/bin/openssl"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    static var hasOpenSSL: Bool { opensslPath != nil }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> [UInt8] {
        return [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Runs `openssl arguments` in the scratch directory; returns (exit status, stdout+stderr).
    @discardableResult
    func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tool.opensslPath ?? "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
