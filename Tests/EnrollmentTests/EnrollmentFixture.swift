import Crypto
import Enrollment
import Foundation
import Wire

/// A small CA with two users, for the authority and service tests.
final class EnrollmentFixture {
    static let overlay = "overlay.example.org"
    static let start: Int64 = CivilTime(year: 2026, month: 6, day: 1).unixSeconds
    let random: RandomGenerator
    let root: CertificateIssuer
    let authority: EnrollmentAuthority

    /// The default policy with rate limits out of the way (tests about them set their own).
    static var generous: EnrollmentPolicy {
        var policy = EnrollmentPolicy()
        policy.userRateBurst = 1000
        policy.addressRateBurst = 1000
        return policy
    }

    init(policy: EnrollmentPolicy = EnrollmentFixture.generous, seed: UInt8 = 1) throws {
        random = try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: 96)))
        let key = try PrivateKey.generateP256(using: random)
        root = try CertificateIssuer.createRoot(
            key: key, commonName: "p2psip root overlay.example.org", serial: [1],
            notBefore: CivilTime(year: 2026, month: 1, day: 1), notAfter: CivilTime(year: 2036, month: 1, day: 1),
            using: random)
        var accounts = AccountsFile(policy: policy)
        try accounts.add(Account(name: "alice", passwordHash: PasswordHash.create(
            password: Array("alice-pw".utf8), iterations: 1000, using: random)))
        try accounts.add(Account(name: "bob", passwordHash: PasswordHash.create(
            password: Array("bob-pw".utf8), iterations: 1000, using: random), maxNodeIds: 1))
        authority = try EnrollmentAuthority(
            issuer: root, overlayName: EnrollmentFixture.overlay, nodeIdLength: 16, accounts: accounts,
            ledger: EnrollmentLedger(), using: random)
    }

    func csr(subject: String = "CN=alice") throws -> (key: PrivateKey, der: [UInt8]) {
        let key = try PrivateKey.generateP256(using: random)
        return (key, try CertificateSigningRequest.create(subject: subject, key: key, using: random))
    }

    func request(_ user: String, _ password: String, csr: [UInt8], nodeIds: String? = nil) -> EnrollmentRequest {
        return EnrollmentRequest(
            username: Array(user.utf8), password: Array(password.utf8), nodeIds: nodeIds.map { Array($0.utf8) }, csr: csr)
    }

    func verifier() throws -> IdentityVerifier {
        return try IdentityVerifier(overlayName: EnrollmentFixture.overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
    }

    /// The wall clock `offset` seconds after `start`.
    static func now(_ offset: Int64 = 0) -> WallTime { WallTime(secondsSince1970: start + offset) }
}
