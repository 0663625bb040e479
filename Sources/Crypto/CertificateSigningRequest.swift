import CMbedTLS

/// A PKCS#10 certificate signing request (RFC 2986), as the enrollment client sends it in the
/// "csr" part of its POST (RFC 6940 §11.3, content type application/pkcs10).
///
/// Parsed with DERReader, not mbedtls_x509_csr_parse_der: mbedTLS 2.28 refuses a subject Name
/// of zero RDNs, which is what a client that requests no user name sends (`openssl req -subj
/// "/"`), and RFC 6940 §11.3 lets the server choose the name. One path for every request:
///
///     CertificationRequest ::= SEQUENCE {                 -- RFC 2986 §4.2
///         certificationRequestInfo SEQUENCE {             -- RFC 2986 §4.1
///             version       INTEGER (0),
///             subject       Name,                         -- may have no RDN
///             subjectPKInfo SubjectPublicKeyInfo,         -- mbedtls_pk_parse_subpubkey
///             attributes    [0] Attributes },             -- not interpreted
///         signatureAlgorithm AlgorithmIdentifier,
///         signature          BIT STRING }
///
/// Parsing always verifies the self-signature over the DER of certificationRequestInfo with
/// the request's own key (proof of possession of the private key, RFC 2986 §3).
public final class CertificateSigningRequest {
    /// The request as received.
    public let der: [UInt8]
    /// The user names the subject requests (RFC 6940 §11.3): its commonName and emailAddress
    /// values, in subject order; other attributes are not read. Empty when the subject is
    /// empty or names no one, and then the server chooses the name.
    public let requestedNames: [String]
    let key: PublicKey

    /// Parses one DER CSR and verifies its signature.
    public init(der: [UInt8]) throws(CryptoError) {
        guard !der.isEmpty, der.count <= CryptoLimits.maximumCSRBytes else {
            throw .malformed("CSR of \(der.count) bytes (limit \(CryptoLimits.maximumCSRBytes))")
        }
        var outer = DERReader(der)
        guard let request = outer.next(tag: DER.sequence) else { throw .malformed("CSR is not a DER SEQUENCE") }
        guard outer.isAtEnd else { throw .malformed("\(der.count - outer.offset) bytes after the CSR") }
        var fields = DERReader(request)
        guard let info = fields.nextElement(), info.tag == DER.sequence, let algorithm = fields.next(tag: DER.sequence),
            let signature = fields.next(tag: DER.bitString), fields.isAtEnd
        else { throw .malformed("CSR is not a CertificationRequest (RFC 2986 §4.2)") }
        let parsed = try CertificateSigningRequest.parseInfo(Array(request[info.contents]))
        let scheme = try CertificateSigningRequest.signatureScheme(algorithm)
        try CertificateSigningRequest.verify(
            signature, over: Array(request[info.encoding]), scheme: scheme, key: parsed.key)
        self.der = der
        requestedNames = parsed.names
        key = parsed.key
    }

    /// A CSR from DER, or from PEM ("CERTIFICATE REQUEST" or the older "NEW CERTIFICATE
    /// REQUEST" label): the first block.
    public static func parse(_ encoded: [UInt8]) throws(CryptoError) -> CertificateSigningRequest {
        guard encoded.count <= 2 * CryptoLimits.maximumCSRBytes else {
            throw .malformed("CSR text of \(encoded.count) bytes")
        }
        if !PEM.looksLikePEM(encoded) { return try CertificateSigningRequest(der: encoded) }
        for label in ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] {
            if let der = try PEM.decodeAll(encoded, label: label).first {
                return try CertificateSigningRequest(der: der)
            }
        }
        throw .malformed("no CERTIFICATE REQUEST block in PEM text")
    }

    /// The DER SubjectPublicKeyInfo of the requested key (as mbedTLS writes it).
    public func publicKeyDER() throws(CryptoError) -> [UInt8] {
        return try key.derEncoded()
    }

    /// The requested key, whose signature over the request was verified.
    public func publicKey() -> PublicKey {
        return key
    }

    /// A DER CSR for `key`, signed with ECDSA/SHA-256. `subject` is a distinguished name in
    /// mbedTLS's syntax ("CN=alice"); empty asks for no name (an empty Name, RFC 6940 §11.3:
    /// the enrollment server chooses the user name).
    public static func create(
        subject: String, key: PrivateKey, using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        let writer = UnsafeMutablePointer<mbedtls_x509write_csr>.allocate(capacity: 1)
        mbedtls_x509write_csr_init(writer)
        defer {
            mbedtls_x509write_csr_free(writer)
            writer.deallocate()
        }
        mbedtls_x509write_csr_set_key(writer, key.context)
        mbedtls_x509write_csr_set_md_alg(writer, MBEDTLS_MD_SHA256)
        if !subject.isEmpty {
            try check(
                mbedtls_x509write_csr_set_subject_name(writer, subject), "mbedtls_x509write_csr_set_subject_name")
        }
        return try writeAtEnd(capacity: CryptoLimits.maximumCSRBytes, "mbedtls_x509write_csr_der") { buffer, size in
            mbedtls_x509write_csr_der(writer, buffer, size, random.randomFunction, random.randomContext)
        }
    }
}

// MARK: - Parsing (RFC 2986 §4)

extension CertificateSigningRequest {
    /// The DER tags (X.690 §8) a CSR is made of.
    enum DER {
        static let integer: UInt8 = 0x02
        static let bitString: UInt8 = 0x03
        static let null: UInt8 = 0x05
        static let objectIdentifier: UInt8 = 0x06
        static let utf8String: UInt8 = 0x0C
        static let printableString: UInt8 = 0x13
        static let ia5String: UInt8 = 0x16
        static let sequence: UInt8 = 0x30
        static let set: UInt8 = 0x31
        /// attributes [0] IMPLICIT SET OF Attribute (constructed).
        static let attributes: UInt8 = 0xA0
    }

    /// A signature algorithm we accept: its digest, and whether it is ECDSA (else RSASSA-PKCS1-v1_5).
    struct SignatureScheme {
        let digest: mbedtls_md_type_t
        let isECDSA: Bool
    }

    /// RFC 2986 §4.1: version 0, the subject's requested names, the key. The attributes
    /// (challengePassword, extensionRequest) must be there but are not interpreted: the
    /// enrollment server decides every field of the certificate itself (RFC 6940 §11.3).
    static func parseInfo(_ contents: [UInt8]) throws(CryptoError) -> (names: [String], key: PublicKey) {
        var fields = DERReader(contents)
        guard let version = fields.next(tag: DER.integer) else { throw .malformed("CSR without a version") }
        guard version == [0] else { throw .malformed("CSR version is not 0 (v1, RFC 2986 §4.1)") }
        guard let subject = fields.next(tag: DER.sequence) else { throw .malformed("CSR subject is not a Name") }
        guard let keyInfo = fields.nextElement(), keyInfo.tag == DER.sequence else {
            throw .malformed("CSR without a SubjectPublicKeyInfo")
        }
        guard fields.next(tag: DER.attributes) != nil, fields.isAtEnd else {
            throw .malformed("CSR attributes are missing or followed by more")
        }
        let names = try requestedNames(subject)
        let key = try PublicKey(subjectPublicKeyInfo: Array(contents[keyInfo.encoding]))
        return (names, key)
    }

    /// The commonName and emailAddress values of a Name (RFC 5280 §4.1.2.4: SEQUENCE OF
    /// RelativeDistinguishedName, each a SET OF AttributeTypeAndValue). Zero RDNs is valid.
    static func requestedNames(_ name: [UInt8]) throws(CryptoError) -> [String] {
        var distinguishedNames = DERReader(name)
        var names: [String] = []
        var attributes = 0
        while !distinguishedNames.isAtEnd {
            guard let relative = distinguishedNames.next(tag: DER.set) else { throw .malformed("CSR subject RDN") }
            var members = DERReader(relative)
            if members.isAtEnd { throw .malformed("CSR subject RDN without attributes") }
            while !members.isAtEnd {
                attributes += 1
                guard attributes <= CryptoLimits.maximumSubjectAttributes else {
                    throw .malformed("CSR subject of more than \(CryptoLimits.maximumSubjectAttributes) attributes")
                }
                guard let pair = members.next(tag: DER.sequence) else { throw .malformed("CSR subject attribute") }
                var parts = DERReader(pair)
                guard let type = parts.next(tag: DER.objectIdentifier), let value = parts.next(), parts.isAtEnd else {
                    throw .malformed("CSR subject attribute")
                }
                if type == KnownOID.commonName || type == KnownOID.emailAddress {
                    names.append(try requestedName(tag: value.tag, value.contents))
                }
            }
        }
        return names
    }

    /// A requested name's text: UTF8String, PrintableString or IA5String (the DirectoryString
    /// and IA5String choices clients use, RFC 5280 §4.1.2.4 and Appendix A.1), without control
    /// characters, at most a user name long. Any other string type is refused rather than
    /// skipped, so that no requested name goes unchecked.
    static func requestedName(tag: UInt8, _ contents: [UInt8]) throws(CryptoError) -> String {
        guard !contents.isEmpty, contents.count <= CryptoLimits.maximumUserNameBytes else {
            throw .malformed("CSR requests a name of \(contents.count) bytes")
        }
        guard contents.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
            throw .malformed("CSR requests a name with control characters")
        }
        switch tag {
        case DER.printableString, DER.ia5String:
            guard contents.allSatisfy({ $0 < 0x80 }) else { throw .malformed("CSR requests a name that is not ASCII") }
        case DER.utf8String:
            break
        default:
            throw .malformed("CSR requests a name in an unsupported string type (tag \(tag))")
        }
        let text = String(decoding: contents, as: UTF8.self)
        guard Array(text.utf8) == contents else { throw .malformed("CSR requests a name that is not UTF-8") }
        return text
    }

    /// RFC 2986 §4.2 signatureAlgorithm: ecdsa-with-SHA256/384/512 (RFC 5758 §3.2) or
    /// sha256/384/512WithRSAEncryption (RFC 4055 §5). Parameters absent or NULL for both:
    /// RFC 5758 §3.2 says ECDSA's are absent, but mbedTLS 2.28's CSR writer (ours, on every
    /// board) puts NULL there. SHA-1 and MD5 are refused: they are not proof of anything any more.
    static func signatureScheme(_ algorithm: [UInt8]) throws(CryptoError) -> SignatureScheme {
        var fields = DERReader(algorithm)
        guard let identifier = fields.next(tag: DER.objectIdentifier) else {
            throw .malformed("CSR signature algorithm without an OID")
        }
        let parameters = fields.next()
        guard fields.isAtEnd else { throw .malformed("CSR signature algorithm") }
        let known: [([UInt8], mbedtls_md_type_t, Bool)] = [
            (KnownOID.ecdsaWithSHA256, MBEDTLS_MD_SHA256, true), (KnownOID.ecdsaWithSHA384, MBEDTLS_MD_SHA384, true),
            (KnownOID.ecdsaWithSHA512, MBEDTLS_MD_SHA512, true),
            (KnownOID.sha256WithRSAEncryption, MBEDTLS_MD_SHA256, false),
            (KnownOID.sha384WithRSAEncryption, MBEDTLS_MD_SHA384, false),
            (KnownOID.sha512WithRSAEncryption, MBEDTLS_MD_SHA512, false),
        ]
        if let parameters, parameters.tag != DER.null || !parameters.contents.isEmpty {
            throw .malformed("CSR signature algorithm parameters")
        }
        for (oid, digest, isECDSA) in known where oid == identifier {
            return SignatureScheme(digest: digest, isECDSA: isECDSA)
        }
        throw .invalidSignature("CSR signed with an unaccepted algorithm")
    }

    /// Checks `signature` (the BIT STRING's contents) over `signed` (the DER of
    /// certificationRequestInfo) with `key`, whose kind must fit the algorithm.
    static func verify(
        _ signature: [UInt8], over signed: [UInt8], scheme: SignatureScheme, key: PublicKey
    ) throws(CryptoError) {
        guard signature.count >= 2, signature[0] == 0 else { throw .malformed("CSR signature BIT STRING") }
        let keyIsECDSA: Bool
        switch key.kind {
        case .ecdsaP256, .ecdsaOther: keyIsECDSA = true
        case .rsa: keyIsECDSA = false
        }
        guard keyIsECDSA == scheme.isECDSA else {
            throw .invalidSignature("CSR signature algorithm does not fit its key")
        }
        guard let information = mbedtls_md_info_from_type(scheme.digest) else {
            throw .library(operation: "mbedtls_md_info_from_type", code: -1)
        }
        var hash = [UInt8](repeating: 0, count: Int(mbedtls_md_get_size(information)))
        let hashCode = signed.withUnsafeBufferPointer { input in
            hash.withUnsafeMutableBufferPointer { output in
                mbedtls_md(information, input.baseAddress, input.count, output.baseAddress)
            }
        }
        try check(hashCode, "mbedtls_md")
        // The BIT STRING's first byte counts unused bits (0); the signature value follows.
        let value = Array(signature.dropFirst())
        let code = hash.withUnsafeBufferPointer { digest in
            value.withUnsafeBufferPointer { bits in
                mbedtls_pk_verify(key.context, scheme.digest, digest.baseAddress, digest.count, bits.baseAddress, bits.count)
            }
        }
        if code != 0 { throw .invalidSignature("CSR self-signature does not verify") }
    }
}
