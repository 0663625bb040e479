import Crypto
import Foundation
import Reload
@testable import Storage
import Signing
import Wire

/// Test identities issued by a test root (real P-256 keys and certificates, verified by the
/// real IdentityVerifier), and helpers that sign values as RFC 6940 §7.1 asks.
struct TestUser: @unchecked Sendable {
    let name: String
    let nodeId: [UInt8]
    let key: PrivateKey
    let der: [UInt8]
    let identity: VerifiedIdentity

    var signerIdentity: SignerIdentity { .certHash(certificateDER: der) }
    var signer: StorageSigner { StorageSigner(identity: identity, nodeId: nodeId) }
    /// §7.3.1: H(user name), SHA-1 truncated to 16 bytes.
    var userResource: ResourceId { ResourceId(bytes: SHA1.hash(Array(name.utf8)).prefix(16))! }
    /// §7.3.2: H(Node-ID).
    var nodeResource: ResourceId { ResourceId(bytes: SHA1.hash(nodeId).prefix(16))! }
}

final class StorageFixture: @unchecked Sendable {
    static let shared: StorageFixture = {
        do { return try StorageFixture() } catch { fatalError("fixture: \(error)") }
    }()

    /// The wall clock at fixture creation (to the second): certificates are valid around it.
    let now: WallTime
    let alice: TestUser
    let bob: TestUser
    /// A certificate that expired a day before `now`.
    let expired: TestUser

    init() throws {
        let seconds = Int64(Date().timeIntervalSince1970)
        now = WallTime(secondsSince1970: seconds)
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 3, count: 96)))
        let notBefore = CertificateTime(unixSeconds: seconds - 10 * 86_400)
        let root = try CertificateIssuer.createRoot(
            key: try PrivateKey.generateP256(using: random), commonName: "storage test root",
            serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore,
            notAfter: CertificateTime(unixSeconds: seconds + 365 * 86_400), using: random)
        let verifier = try IdentityVerifier(overlayName: "example.org", nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
        func user(_ name: String, _ fill: UInt8, notAfter: Int64, verifyAt: Int64) throws -> TestUser {
            let key = try PrivateKey.generateP256(using: random)
            let nodeId = [UInt8](repeating: fill, count: 16)
            let der = try root.issueNodeCertificate(
                publicKey: key.publicKey(), nodeIds: [nodeId], userName: name, overlay: "example.org",
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore,
                notAfter: CertificateTime(unixSeconds: notAfter), using: random)
            let identity = try verifier.verify(chain: [try Certificate(der: der)], now: CertificateTime(unixSeconds: verifyAt))
            return TestUser(name: name, nodeId: nodeId, key: key, der: der, identity: identity)
        }
        alice = try user("alice@example.org", 0xA1, notAfter: seconds + 30 * 86_400, verifyAt: seconds)
        bob = try user("bob@example.org", 0xB0, notAfter: seconds + 30 * 86_400, verifyAt: seconds)
        expired = try user("carol@example.org", 0xC0, notAfter: seconds - 86_400, verifyAt: seconds - 5 * 86_400)
    }

    /// The storage_time of a value signed at `now` (milliseconds since 1970, §7).
    var storageTime: UInt64 { now.millisecondsSince1970 }

    /// A resolver that knows alice, bob and the expired user.
    func resolver() -> SignerTable {
        var table = SignerTable()
        for user in [alice, bob, expired] { _ = table.add(user.identity, certificateDER: user.der) }
        return table
    }

    /// A value signed by `user` for `resource` and `kind` (§7.1).
    func signed(
        _ user: TestUser, _ resource: ResourceId, _ kind: KindId, _ value: StoredDataValue, storageTime: UInt64? = nil,
        lifetime: UInt32 = 3600
    ) throws -> StoredData {
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 9, count: 96)))
        return try StoredData.signed(
            resource: resource, kind: kind, storageTime: storageTime ?? self.storageTime, lifetime: lifetime, value: value,
            identity: user.signerIdentity, key: user.key, random: random)
    }
}

/// A private kind with NODE-MULTIPLE (max 3) and single values, and a small array kind.
enum TestKinds {
    static let turn = KindId(0xF001)
    static let small = KindId(0xF002)

    static var table: StorageKinds {
        var kinds = StorageKinds.builtin
        _ = kinds.add(StorageKind(id: turn, model: .singleValue, policy: .nodeMultiple(maximum: 3), maxCount: 1, maxSize: 64))
        _ = kinds.add(StorageKind(id: small, model: .array, policy: .userMatch, maxCount: 3, maxSize: 32))
        return kinds
    }
}
