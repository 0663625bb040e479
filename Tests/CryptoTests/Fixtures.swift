import Crypto
import Foundation
import Testing
import TestSupport

/// Helpers for the identity tests: a seeded DRBG, fixed times, a root CA.
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

/// The openssl command line in a scratch directory of its own (removed with this object): an
/// implementation nobody here wrote, to check our keys, certificates, CSRs and CRLs against.
final class OpenSSLScratch {
    let scratch: TemporaryDirectory

    init() throws {
        scratch = try TemporaryDirectory("p2psip-identity")
    }

    static let openssl = Subprocess.find("openssl")
    static var hasOpenSSL: Bool { openssl != nil }

    var directory: URL { scratch.url }

    func path(_ name: String) -> String { scratch.file(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: scratch.file(name))
    }

    func read(_ name: String) throws -> [UInt8] {
        return [UInt8](try Data(contentsOf: scratch.file(name)))
    }

    /// Runs `openssl arguments` in the scratch directory: exit status, and standard output and
    /// error together (some answers, such as `crl`'s "verify OK", come on standard error).
    @discardableResult
    func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try Subprocess.run(Self.openssl ?? URL(fileURLWithPath: "/usr/bin/openssl"), arguments, in: directory, output: .merged)
        return (result.status, result.output)
    }

    /// Runs `openssl arguments`, requiring exit status 0: its standard output.
    @discardableResult
    func requireOpenSSL(_ arguments: [String]) throws -> Data {
        return try Subprocess.require(Self.openssl ?? URL(fileURLWithPath: "/usr/bin/openssl"), arguments, in: directory).data
    }
}
