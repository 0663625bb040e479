import CMbedTLS
import Wire

/// Self-generated credentials for overlays without an enrollment server (RFC 6940 §11.3.1,
/// §4.1), for ad-hoc LANs.
///
/// §11.3.1: "For self-signed certificates containing only one Node-ID, the Node-ID MUST be
/// computed by applying the digest specified in the self-signed-permitted element to the DER
/// representation of the user's public key (more specifically, the subjectPublicKeyInfo) and
/// taking the high-order bits. For self-signed certificates containing multiple Node-IDs, the
/// index of the Node-ID (from 1 to the number of Node-IDs needed) must be prepended as a 4-byte
/// big-endian integer to the DER representation of the user's public key".
///
/// This mode is weaker than CA enrollment (§13.3): anyone can make identities (Sybil
/// attacks); the Node-ID is bound to the key, and a user name only to the first key that
/// stores its certificate under CERTIFICATE_BY_USER (Storage's first-come rule). The proof of
/// work (ProofOfWork, 20 bits by default) makes each identity cost CPU, no more.
public enum SelfSignedIdentity {
    /// The `count` Node-IDs of a key (§11.3.1): digest(spki) for one, digest(index || spki) for
    /// index 1...count otherwise, each cut to `length` bytes.
    public static func nodeIds(
        subjectPublicKeyInfo spki: [UInt8], count: Int, digest: NodeIdDigest, length: Int
    ) -> [[UInt8]] {
        precondition(count >= 1 && count <= CryptoLimits.maximumNodeIdsPerCertificate)
        precondition(length >= 1 && length <= digest.length)
        if count == 1 { return [Array(digest.hash(spki)[0..<length])] }
        var ids: [[UInt8]] = []
        for index in 1...count {
            let prefix: [UInt8] = [
                UInt8(truncatingIfNeeded: index >> 24), UInt8(truncatingIfNeeded: index >> 16),
                UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index),
            ]
            ids.append(Array(digest.hash(prefix + spki)[0..<length]))
        }
        return ids
    }

    /// A new key and a self-signed certificate for it: Node-IDs derived from the key as
    /// §11.3.1 says, `userName` as rfc822Name, subject and issuer "CN=<first Node-ID in hex>",
    /// and, when `policy.workBits` > 0, a proof-of-work nonce found within `maximumAttempts`
    /// hashes (else `.searchExhausted`).
    public static func create(
        userName: String, overlay: String, nodeIdLength: Int, nodeIdCount: Int = 1, policy: SelfSignedPolicy,
        maximumAttempts: Int, notBefore: CertificateTime, notAfter: CertificateTime, using random: RandomGenerator
    ) throws(CryptoError) -> (key: PrivateKey, certificate: [UInt8]) {
        let key = try PrivateKey.generateP256(using: random)
        let certificate = try certificate(
            for: key, userName: userName, overlay: overlay, nodeIdLength: nodeIdLength, nodeIdCount: nodeIdCount,
            policy: policy, maximumAttempts: maximumAttempts, notBefore: notBefore, notAfter: notAfter, using: random)
        return (key, certificate)
    }

    /// A self-signed certificate for an existing key (e.g. to renew one).
    public static func certificate(
        for key: PrivateKey, userName: String, overlay: String, nodeIdLength: Int, nodeIdCount: Int = 1,
        policy: SelfSignedPolicy, maximumAttempts: Int, notBefore: CertificateTime, notAfter: CertificateTime,
        using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        guard CryptoLimits.nodeIdLengthRange.contains(nodeIdLength), nodeIdLength <= policy.digest.length,
            (1...policy.maximumNodeIds).contains(nodeIdCount)
        else { throw .malformed("\(nodeIdCount) Node-IDs of \(nodeIdLength) bytes (the policy allows \(policy.maximumNodeIds))") }
        let spki = try key.publicKeyDER()
        let ids = nodeIds(subjectPublicKeyInfo: spki, count: nodeIdCount, digest: policy.digest, length: nodeIdLength)
        let names = try CertificateIssuer.nodeNames(nodeIds: ids, userName: userName, overlay: overlay)
        let writer = CertificateWriter()
        try writer.setSerial(CertificateIssuer.randomSerial(using: random))
        try writer.setValidity(notBefore: notBefore, notAfter: notAfter)
        let name = "CN=" + Hex.encode(ids[0])
        try writer.setNames(subject: name, issuer: name)
        writer.setKeys(subject: key.context, issuer: key.context)
        try writer.setUsage(certificateAuthority: false, keyUsage: MBEDTLS_X509_KU_DIGITAL_SIGNATURE)
        try writer.setSubjectAltNames(names, critical: false)
        if policy.workBits > 0 {
            let nonce = try ProofOfWork.search(
                subjectPublicKeyInfo: spki, bits: policy.workBits, maximumAttempts: maximumAttempts)
            try writer.setExtension(
                oid: KnownOID.proofOfWorkNonce, critical: false, value: ProofOfWork.extensionValue(nonce: nonce))
        }
        return try writer.der(using: random)
    }

    /// §11.3.1 "nodes MUST check that the Node-ID and public keys match", plus the number of
    /// Node-IDs and the proof of work the policy asks for. `identity` is what the certificate's subjectAltName says.
    static func check(
        _ certificate: Certificate, identity: ReloadIdentity, policy: SelfSignedPolicy, nodeIdLength: Int
    ) throws(CryptoError) {
        guard certificate.isSigned(by: certificate) else { throw .rejected(.selfSignedSignatureInvalid) }
        guard nodeIdLength <= policy.digest.length else { throw .rejected(.selfSignedNodeIdMismatch) }
        guard identity.nodeIds.count <= policy.maximumNodeIds else {
            throw .rejected(.malformedIdentity(
                "self-signed certificate with \(identity.nodeIds.count) Node-IDs, the overlay allows \(policy.maximumNodeIds)"))
        }
        let spki = try certificate.publicKeyDER()
        let expected = nodeIds(
            subjectPublicKeyInfo: spki, count: identity.nodeIds.count, digest: policy.digest, length: nodeIdLength)
        guard identity.nodeIds.allSatisfy({ expected.contains($0) }) else { throw .rejected(.selfSignedNodeIdMismatch) }
        guard policy.workBits > 0 else { return }
        guard let nonce = try ProofOfWork.nonce(in: certificate) else {
            throw .rejected(.insufficientWork(required: policy.workBits, found: 0))
        }
        let found = ProofOfWork.leadingZeroBits(ProofOfWork.workHash(subjectPublicKeyInfo: spki, nonce: nonce))
        guard found >= policy.workBits else {
            throw .rejected(.insufficientWork(required: policy.workBits, found: found))
        }
    }
}
