import Crypto
import Testing

/// Builds PKCS#10 requests field by field (RFC 2986 §4) and signs them with ECDSA/SHA-256, so
/// that each structural check of the parser meets a request whose signature is valid: a refusal
/// then comes from that check, not from the signature.
struct RequestBuilder {
    let key: PrivateKey
    let random: RandomGenerator

    init(_ label: UInt8 = 1) throws {
        random = Fixture.random(label)
        key = try PrivateKey.generateP256(using: random)
    }

    static func tlv(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        let count = contents.count
        if count < 0x80 { return [tag, UInt8(count)] + contents }
        if count < 0x100 { return [tag, 0x81, UInt8(count)] + contents }
        return [tag, 0x82, UInt8(count >> 8), UInt8(count & 0xFF)] + contents
    }

    static let commonName = tlv(0x06, [0x55, 0x04, 0x03])
    static let organization = tlv(0x06, [0x55, 0x04, 0x0A])
    static let emailAddress = tlv(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01])
    static let ecdsaWithSHA256 = tlv(0x30, tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]))
    static let utf8String: UInt8 = 0x0C
    static let printableString: UInt8 = 0x13
    static let ia5String: UInt8 = 0x16
    static let bmpString: UInt8 = 0x1E

    static func attribute(_ type: [UInt8], _ tag: UInt8, _ value: String) -> [UInt8] {
        return attribute(type, tag, Array(value.utf8))
    }

    static func attribute(_ type: [UInt8], _ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        return tlv(0x30, type + tlv(tag, value))
    }

    /// A Name: one RDN (SET) per element of `rdns`, each holding the given attributes.
    static func name(_ rdns: [[[UInt8]]]) -> [UInt8] {
        return tlv(0x30, Array(rdns.map { tlv(0x31, Array($0.joined())) }.joined()))
    }

    /// certificationRequestInfo; `attributes: nil` leaves the [0] field out.
    func info(
        version: [UInt8] = RequestBuilder.tlv(0x02, [0]), subject: [UInt8] = RequestBuilder.name([]),
        attributes: [UInt8]? = RequestBuilder.tlv(0xA0, []),
        after: [UInt8] = []
    ) throws -> [UInt8] {
        return RequestBuilder.tlv(0x30, version + subject + (try key.publicKeyDER()) + (attributes ?? []) + after)
    }

    /// The CertificationRequest: `info`, `algorithm`, an ECDSA/SHA-256 signature over `info`,
    /// then `after` (inside the outer SEQUENCE).
    func request(
        _ info: [UInt8], algorithm: [UInt8] = RequestBuilder.ecdsaWithSHA256, after: [UInt8] = []
    ) throws -> [UInt8] {
        let signature = try key.sign(message: info, using: random)
        return RequestBuilder.tlv(0x30, info + algorithm + RequestBuilder.tlv(0x03, [0] + signature) + after)
    }

    func request(subject: [UInt8]) throws -> [UInt8] {
        return try request(info(subject: subject))
    }
}

@Suite struct CertificateSigningRequestStructureTests {
    typealias B = RequestBuilder

    @Test func builderMakesAcceptedRequests() throws {
        let builder = try RequestBuilder()
        let empty = try CertificateSigningRequest(der: builder.request(subject: B.name([])))
        #expect(empty.requestedNames.isEmpty)
        #expect(try empty.publicKeyDER() == builder.key.publicKeyDER())
        // CN and emailAddress in one multi-valued RDN, an O in another; the O is not a name.
        let subject = B.name([
            [B.attribute(B.organization, B.printableString, "Example")],
            [B.attribute(B.commonName, B.utf8String, "alice"),
             B.attribute(B.emailAddress, B.ia5String, "alice@overlay.example.org")],
        ])
        let named = try CertificateSigningRequest(der: builder.request(subject: subject))
        #expect(named.requestedNames == ["alice", "alice@overlay.example.org"])
        let accented = try CertificateSigningRequest(der: builder.request(
            subject: B.name([[B.attribute(B.commonName, B.utf8String, "ålice")]])))
        #expect(accented.requestedNames == ["ålice"])
    }

    @Test func wrongVersionIsRefused() throws {
        let builder = try RequestBuilder()
        for version in [[UInt8]([0x02, 0x01, 0x01]), [0x02, 0x02, 0x00, 0x00], [0x04, 0x01, 0x00], []] {
            let der = try builder.request(builder.info(version: version))
            #expect(throws: CryptoError.self) { try CertificateSigningRequest(der: der) }
        }
        let one = try builder.request(builder.info(version: [0x02, 0x01, 0x01]))
        #expect(throws: CryptoError.malformed("CSR version is not 0 (v1, RFC 2986 §4.1)")) {
            try CertificateSigningRequest(der: one)
        }
    }

    @Test func attributesMustBeThereAndLast() throws {
        let builder = try RequestBuilder()
        let refusal = CryptoError.malformed("CSR attributes are missing or followed by more")
        let missing = try builder.request(builder.info(attributes: nil))
        #expect(throws: refusal) { try CertificateSigningRequest(der: missing) }
        let extra = try builder.request(builder.info(after: [0x05, 0x00]))
        #expect(throws: refusal) { try CertificateSigningRequest(der: extra) }
        // Attributes with content (an empty extensionRequest) are read past, not interpreted.
        let extensionRequest = B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x0E])
            + B.tlv(0x31, B.tlv(0x30, [])))
        let withAttribute = try builder.request(builder.info(attributes: B.tlv(0xA0, extensionRequest)))
        #expect(try CertificateSigningRequest(der: withAttribute).requestedNames.isEmpty)
    }

    @Test func bytesAfterTheSignatureInsideTheRequestAreRefused() throws {
        let builder = try RequestBuilder()
        let inner = try builder.request(builder.info(), after: [0x05, 0x00])
        #expect(throws: CryptoError.malformed("CSR is not a CertificationRequest (RFC 2986 §4.2)")) {
            try CertificateSigningRequest(der: inner)
        }
    }

    @Test func subjectAttributeCountIsBounded() throws {
        let builder = try RequestBuilder()
        func subject(_ count: Int) -> [UInt8] {
            let organizations = (0..<(count - 1)).map { [B.attribute(B.organization, B.utf8String, "unit \($0)")] }
            return B.name(organizations + [[B.attribute(B.commonName, B.utf8String, "alice")]])
        }
        let limit = CryptoLimits.maximumSubjectAttributes
        #expect(try CertificateSigningRequest(der: builder.request(subject: subject(limit))).requestedNames == ["alice"])
        #expect(throws: CryptoError.malformed("CSR subject of more than \(limit) attributes")) {
            try CertificateSigningRequest(der: builder.request(subject: subject(limit + 1)))
        }
    }

    @Test func unreadableRequestedNamesAreRefused() throws {
        let builder = try RequestBuilder()
        let subjects: [[UInt8]] = [
            // A CN in BMPString: a name we cannot read must not go unchecked.
            B.name([[B.attribute(B.commonName, B.bmpString, [0x00, 0x61])]]),
            B.name([[B.attribute(B.commonName, B.utf8String, [UInt8]())]]),
            B.name([[B.attribute(B.commonName, B.utf8String, [0x61, 0x00, 0x62])]]),
            B.name([[B.attribute(B.commonName, B.utf8String, [0x61, 0xC3])]]),
            B.name([[B.attribute(B.commonName, B.printableString, [0x61, 0xC3, 0xA5])]]),
            B.name([[B.attribute(B.emailAddress, B.ia5String, String(repeating: "a", count: 255))]]),
            B.name([[]]),
            B.tlv(0x30, B.tlv(0x30, [])),
            B.tlv(0x30, B.tlv(0x31, B.tlv(0x30, B.commonName))),
        ]
        for subject in subjects {
            let der = try builder.request(subject: subject)
            #expect(throws: CryptoError.self, "\(subject)") { try CertificateSigningRequest(der: der) }
        }
        // Other attributes are not decoded, whatever their string type.
        let organization = B.name([[B.attribute(B.organization, B.bmpString, [0x00, 0x61])]])
        #expect(try CertificateSigningRequest(der: builder.request(subject: organization)).requestedNames.isEmpty)
    }

    @Test func signatureAlgorithmsOutsideTheListAreRefused() throws {
        let builder = try RequestBuilder()
        let info = try builder.info()
        let unaccepted = CryptoError.invalidSignature("CSR signed with an unaccepted algorithm")
        let refusals: [([UInt8], CryptoError)] = [
            // ecdsa-with-SHA1 (1.2.840.10045.4.1), sha1WithRSAEncryption, md5WithRSAEncryption.
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01])), unaccepted),
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05]) + [0x05, 0x00]), unaccepted),
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04]) + [0x05, 0x00]), unaccepted),
            // ecdsa-with-SHA256 with parameters other than NULL (RFC 5758 §3.2: absent).
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]) + [0x05, 0x01, 0x00]),
             .malformed("CSR signature algorithm parameters")),
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]) + [0x02, 0x01, 0x00]),
             .malformed("CSR signature algorithm parameters")),
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]) + [0x05, 0x00, 0x05, 0x00]),
             .malformed("CSR signature algorithm")),
            // sha256WithRSAEncryption over an EC key.
            (B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]) + [0x05, 0x00]),
             .invalidSignature("CSR signature algorithm does not fit its key")),
        ]
        for (algorithm, refusal) in refusals {
            let der = try builder.request(info, algorithm: algorithm)
            #expect(throws: refusal) { try CertificateSigningRequest(der: der) }
        }
        // Parameters absent (RFC 5758 §3.2) or NULL (what mbedTLS 2.28 writes) are both read.
        let withNull = B.tlv(0x30, B.tlv(0x06, [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]) + [0x05, 0x00])
        #expect(try CertificateSigningRequest(der: builder.request(info, algorithm: withNull)).requestedNames.isEmpty)
        #expect(try CertificateSigningRequest(der: builder.request(info)).requestedNames.isEmpty)
    }

    @Test func changedSubjectByteIsRefused() throws {
        let builder = try RequestBuilder()
        let original = B.name([[B.attribute(B.commonName, B.utf8String, "alice")]])
        var der = try builder.request(subject: original)
        #expect(try CertificateSigningRequest(der: der).requestedNames == ["alice"])
        let index = try #require(der.indices.first { Array(der[$0..<min($0 + 5, der.count)]) == Array("alice".utf8) })
        der[index] = UInt8(ascii: "b")
        #expect(throws: CryptoError.invalidSignature("CSR self-signature does not verify")) {
            try CertificateSigningRequest(der: der)
        }
    }

    @Test func everyTruncationIsRefused() throws {
        let builder = try RequestBuilder()
        let der = try builder.request(builder.info())
        for cut in 0..<der.count {
            #expect(throws: CryptoError.self) { try CertificateSigningRequest(der: Array(der[0..<cut])) }
        }
        #expect(throws: CryptoError.malformed("2 bytes after the CSR")) {
            try CertificateSigningRequest(der: der + [0x05, 0x00])
        }
    }
}
