import Crypto
import Reload
import Signing
import Wire

/// The key of a row of the `certificates` table: the SignerIdentity that names the certificate
/// (RFC 6940 §6.3.4), as identity_type u8 ‖ hash_alg u8 ‖ hash. A value's signature carries
/// exactly this, so a value's certificate is found without knowing whose it is.
///
/// A certificate stored as a CERTIFICATE_BY_NODE/USER value (§8) is entered under its
/// cert_hash with SHA-256, the identity our peers sign with (a certificate with one Node-ID,
/// §6.3.4). Signers naming a certificate by cert_hash_node_id or another hash find it only
/// when a value they signed brought it.
public enum CertificateKey {
    /// type + algorithm + a SHA-512 hash at most.
    public static let maximumBytes = 2 + 64

    /// The row of the certificate `identity` names; nil for `none` and over-long hashes.
    public static func key(for identity: SignerIdentity) -> [UInt8]? {
        switch identity {
        case .certHash(let algorithm, let hash), .certHashNodeId(let algorithm, let hash):
            guard !hash.isEmpty, hash.count + 2 <= maximumBytes else { return nil }
            return [identity.typeCode, algorithm.rawValue] + hash
        case .none:
            return nil
        }
    }

    /// The row of a certificate stored as a value (§8): cert_hash, SHA-256.
    public static func key(certificateDER: [UInt8]) -> [UInt8] {
        return key(for: .certHash(certificateDER: certificateDER))!
    }

    /// A row's value: references u32 ‖ DER.
    static func row(references: UInt32, certificateDER: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: 4 + certificateDER.count)
        writer.writeUInt32(references)
        writer.writeBytes(certificateDER)
        return writer.bytes
    }

    static func parse(_ row: [UInt8]) throws(StorageError) -> (references: UInt32, certificateDER: [UInt8]) {
        var reader = ByteReader(row)
        do throws(WireError) {
            let references = try reader.readUInt32("references")
            return (references, try reader.readBytes(reader.remaining, "certificate"))
        } catch {
            throw .corruptRecord("certificate row: " + error.description)
        }
    }
}

extension RecordTransaction {
    /// The certificate `identity` names, if a record here refers to it.
    public func certificate(for identity: SignerIdentity) throws(StorageError) -> [UInt8]? {
        guard let key = CertificateKey.key(for: identity), let row = try get(key, in: .certificates) else { return nil }
        let parsed = try CertificateKey.parse(row)
        return parsed.certificateDER.isEmpty ? nil : parsed.certificateDER
    }

    /// One more (`sign` +1) or one fewer (-1) record refers to the certificate under each key;
    /// for +1, `certificates[i]` is the DER for `keys[i]`. A row goes with its last reference.
    mutating func reference(_ keys: [[UInt8]], certificates: [[UInt8]], sign: Int) throws(StorageError) {
        precondition(sign == 1 || sign == -1)
        for (index, key) in keys.enumerated() {
            if let row = try get(key, in: .certificates) {
                let parsed = try CertificateKey.parse(row)
                let references = sign > 0 ? parsed.references &+ 1 : (parsed.references > 0 ? parsed.references - 1 : 0)
                if references == 0 {
                    try delete(key, in: .certificates)
                } else {
                    try put(CertificateKey.row(references: references, certificateDER: parsed.certificateDER), for: key, in: .certificates)
                }
            } else if sign > 0 {
                try put(CertificateKey.row(references: 1, certificateDER: certificates[index]), for: key, in: .certificates)
            }
        }
    }
}
