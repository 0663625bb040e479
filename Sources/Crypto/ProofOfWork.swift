/// A CPU cost per self-signed identity, S/Kademlia style (Baumgart and Mies 2007, the
/// "dynamic crypto puzzle"), so that an attacker on an overlay without an enrollment server
/// cannot make thousands of identities for free.
///
/// Exact construction (p2psip's own; RFC 6940 defines none):
///
///     work = SHA-256( SubjectPublicKeyInfo-DER || nonce )      nonce: 8 bytes
///     valid when `work` starts with at least N zero bits (most significant bit first)
///
/// The nonce travels in the certificate in a non-critical extension, OID
/// 2.25.21898065279796554368827559651192901654 (KnownOID.proofOfWorkNonce), whose extnValue is
/// `OCTET STRING (SIZE (8))`. The work is bound to the key, and the Node-ID is the digest of the
/// key (§11.3.1), so each new Node-ID costs about 2^N hashes to make and one hash to check. The
/// key, not the certificate, carries the cost: re-issuing a certificate for the same key (new
/// user name, new validity) keeps its nonce. This mode remains weaker than CA enrollment: the
/// cost is linear, and an attacker with more CPU gets more identities.
public enum ProofOfWork {
    public static let nonceBytes = 8

    /// SHA-256(spki || nonce).
    public static func workHash(subjectPublicKeyInfo spki: [UInt8], nonce: [UInt8]) -> [UInt8] {
        precondition(nonce.count == nonceBytes)
        return SHA256.hash(spki + nonce)
    }

    /// The number of leading zero bits of `digest`.
    public static func leadingZeroBits(_ digest: [UInt8]) -> Int {
        var count = 0
        for byte in digest {
            if byte == 0 {
                count += 8
                continue
            }
            return count + byte.leadingZeroBitCount
        }
        return count
    }

    /// Searches nonces 0, 1, 2, ... (big-endian) for one whose work hash has `bits` leading
    /// zero bits; gives up after `maximumAttempts` tries with `.searchExhausted`.
    public static func search(
        subjectPublicKeyInfo spki: [UInt8], bits: Int, maximumAttempts: Int
    ) throws(CryptoError) -> [UInt8] {
        precondition(bits >= 0 && bits <= CryptoLimits.maximumWorkBits && maximumAttempts >= 0)
        var hasher = spki + [UInt8](repeating: 0, count: nonceBytes)
        let nonceStart = spki.count
        var attempt: UInt64 = 0
        while attempt < UInt64(maximumAttempts) {
            var value = attempt
            for index in stride(from: nonceBytes - 1, through: 0, by: -1) {
                hasher[nonceStart + index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
            if leadingZeroBits(SHA256.hash(hasher)) >= bits {
                return Array(hasher[nonceStart...])
            }
            attempt += 1
        }
        throw .searchExhausted("no proof of work of \(bits) bits in \(maximumAttempts) attempts")
    }

    /// How many hashes `search` tried to find the nonce of `certificate` (it tries 0, 1, 2, ...
    /// in order, so the nonce plus one); nil without a proof of work.
    public static func hashesSearched(in certificate: Certificate) throws(CryptoError) -> UInt64? {
        guard let nonce = try nonce(in: certificate) else { return nil }
        var value: UInt64 = 0
        for byte in nonce { value = value << 8 | UInt64(byte) }
        return value &+ 1
    }

    /// The extnValue contents of the nonce extension.
    static func extensionValue(nonce: [UInt8]) throws(CryptoError) -> [UInt8] {
        let writer = ASN1Writer(capacity: 32)
        try writer.writeOctetString(nonce)
        return writer.bytes
    }

    /// The nonce of `certificate`'s proof-of-work extension; nil if it has none, an error if
    /// the extension is malformed or present twice.
    static func nonce(in certificate: Certificate) throws(CryptoError) -> [UInt8]? {
        var extensions = DERReader(certificate.extensionsDER)
        guard !extensions.isAtEnd else { return nil }
        guard let list = extensions.next(), list.tag == ASN1Writer.sequence else {
            throw .malformed("certificate extensions are not a SEQUENCE")
        }
        var reader = DERReader(list.contents)
        var found: [UInt8]? = nil
        while !reader.isAtEnd {
            guard let item = reader.next(), item.tag == ASN1Writer.sequence else { throw .malformed("extension") }
            var fields = DERReader(item.contents)
            guard let oid = fields.next(), oid.tag == 0x06 else { throw .malformed("extension OID") }
            guard oid.contents == KnownOID.proofOfWorkNonce else { continue }
            var value = fields.next()
            if value?.tag == 0x01 { value = fields.next() }  // critical BOOLEAN
            guard found == nil, let value, value.tag == ASN1Writer.octetString, fields.isAtEnd else {
                throw .malformed("proof-of-work extension")
            }
            var inner = DERReader(value.contents)
            guard let nonce = inner.next(), nonce.tag == ASN1Writer.octetString, nonce.contents.count == nonceBytes,
                inner.isAtEnd
            else { throw .malformed("proof-of-work nonce") }
            found = nonce.contents
        }
        return found
    }
}
