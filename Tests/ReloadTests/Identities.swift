import Crypto
import Foundation
import Reload
import Signing

/// The test identities of Vectors/ (made by Vectors/make-certificates.sh): alice signs with
/// ECDSA P-256, bob with RSA 2048.
enum Identities {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    static func file(_ name: String) -> [UInt8] {
        guard let data = try? Data(contentsOf: vectors.appendingPathComponent(name)) else {
            fatalError("test vector \(name) missing in \(vectors.path)")
        }
        return Array(data)
    }

    static let aliceCertificate = file("alice-p256.cert.der")
    static let bobCertificate = file("bob-rsa2048.cert.der")
    static let aliceNodeId = NodeId(bytes: [UInt8](repeating: 0x11, count: 16))!
    static let bobNodeId = NodeId(bytes: [UInt8](repeating: 0x22, count: 16))!

    static func aliceKey() throws -> PrivateKey {
        return try PrivateKey(encoded: file("alice-p256.key.pem"))
    }

    static func alicePublicKey() throws -> PublicKey {
        return try Certificate(der: aliceCertificate).publicKey()
    }

    static func bobPublicKey() throws -> PublicKey {
        return try Certificate(der: bobCertificate).publicKey()
    }

    static var aliceIdentity: SignerIdentity { .certHash(certificateDER: aliceCertificate) }

    /// A fixed-seed generator: only blinds ECDSA (the signature itself is deterministic,
    /// RFC 6979 in mbedTLS).
    static func random() throws -> RandomGenerator {
        return try RandomGenerator(source: .fixed([UInt8](repeating: 7, count: 96)))
    }
}
