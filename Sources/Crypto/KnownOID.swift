/// DER contents of the object identifiers we write or look for (X.660 arcs, X.690 encoding).
enum KnownOID {
    /// id-ce-subjectAltName, 2.5.29.17 (RFC 5280 §4.2.1.6).
    static let subjectAltName: [UInt8] = [0x55, 0x1D, 0x11]
    /// id-ce-cRLNumber, 2.5.29.20 (RFC 5280 §5.2.3).
    static let crlNumber: [UInt8] = [0x55, 0x1D, 0x14]
    /// id-ce-authorityKeyIdentifier, 2.5.29.35 (RFC 5280 §4.2.1.1).
    static let authorityKeyIdentifier: [UInt8] = [0x55, 0x1D, 0x23]
    /// ecdsa-with-SHA256, 1.2.840.10045.4.3.2 (RFC 5758 §3.2; parameters absent).
    static let ecdsaWithSHA256: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]
    /// ecdsa-with-SHA384 and -SHA512, 1.2.840.10045.4.3.3 and .4 (RFC 5758 §3.2).
    static let ecdsaWithSHA384: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03]
    static let ecdsaWithSHA512: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04]
    /// sha256WithRSAEncryption, 1.2.840.113549.1.1.11, and its SHA-384 (.12) and SHA-512 (.13)
    /// siblings (RFC 4055 §5; parameters NULL).
    static let sha256WithRSAEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]
    static let sha384WithRSAEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C]
    static let sha512WithRSAEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D]
    /// id-at-commonName, 2.5.4.3 (X.520; RFC 5280 §4.1.2.4).
    static let commonName: [UInt8] = [0x55, 0x04, 0x03]
    /// emailAddress, 1.2.840.113549.1.9.1 (PKCS #9, RFC 2985 §5.2.1; RFC 5280 §4.1.2.6).
    static let emailAddress: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01]
    /// The p2psip proof-of-work nonce extension of self-signed identities:
    /// 2.25.21898065279796554368827559651192901654, an OID under the UUID arc (X.667; UUID
    /// 107969f9-965c-4d1b-b75b-88b259cc9016), so no registration is needed. Non-critical: other
    /// implementations ignore it.
    static let proofOfWorkNonce: [UInt8] = [
        0x69, 0xA0, 0xF9, 0xB4, 0xFE, 0xB2, 0xE5, 0xE2, 0xB4, 0xB7, 0xB7, 0xAD, 0xE2, 0x96, 0xA5, 0xCE, 0xB2, 0xA0,
        0x16,
    ]
}
