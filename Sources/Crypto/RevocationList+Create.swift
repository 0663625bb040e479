import CMbedTLS
import Wire

extension RevocationList {
    /// A DER X.509 v2 CRL (RFC 5280 §5.1) signed by `issuer` with ECDSA/SHA-256:
    ///
    ///     CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
    ///     TBSCertList ::= SEQUENCE {
    ///         version INTEGER (v2 = 1), signature AlgorithmIdentifier, issuer Name,
    ///         thisUpdate Time, nextUpdate Time,
    ///         revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER,
    ///                                                    revocationDate Time } OPTIONAL,
    ///         crlExtensions [0] EXPLICIT Extensions }   -- cRLNumber, authorityKeyIdentifier
    ///
    /// §5.1.2.6: the revoked list is absent when empty. §5.2.3: `number` must grow with each
    /// CRL the issuer publishes (the caller keeps it). Duplicate serials are written once.
    public static func create(
        issuer: CertificateIssuer, revoked: [RevokedCertificate], number: UInt64, thisUpdate: CertificateTime,
        nextUpdate: CertificateTime, using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        guard revoked.count <= CryptoLimits.maximumRevokedCertificates else {
            throw .outputTooLarge("CRL of \(revoked.count) entries (limit \(CryptoLimits.maximumRevokedCertificates))")
        }
        guard thisUpdate.isValid, nextUpdate.isValid, thisUpdate < nextUpdate else {
            throw .malformed("CRL update times \(thisUpdate.description) to \(nextUpdate.description)")
        }
        let writer = ASN1Writer(capacity: CryptoLimits.maximumRevocationListBytes)
        let tbsMark = writer.mark
        try writeExtensions(writer, issuer: issuer, number: number)
        try writeEntries(writer, revoked)
        try writer.writeTime(nextUpdate)
        try writer.writeTime(thisUpdate)
        try writer.writeRaw(issuer.certificate.subjectRaw)
        try writeSignatureAlgorithm(writer)
        try writer.writeInteger(1)
        try writer.wrap(tag: ASN1Writer.sequence, since: tbsMark)
        let toBeSigned = writer.bytes
        let signature = try issuer.key.sign(sha256Digest: SHA256.hash(toBeSigned), using: random)
        let outer = ASN1Writer(capacity: toBeSigned.count + 256)
        try outer.writeBitString(signature)
        try writeSignatureAlgorithm(outer)
        try outer.writeRaw(toBeSigned)
        try outer.wrap(tag: ASN1Writer.sequence, since: 0)
        return outer.bytes
    }

    /// RFC 5758 §3.2: ecdsa-with-SHA256 with the parameters field absent.
    static func writeSignatureAlgorithm(_ writer: ASN1Writer) throws(CryptoError) {
        let mark = writer.mark
        try writer.writeOID(KnownOID.ecdsaWithSHA256)
        try writer.wrap(tag: ASN1Writer.sequence, since: mark)
    }

    static func writeEntries(_ writer: ASN1Writer, _ revoked: [RevokedCertificate]) throws(CryptoError) {
        var seen = Set<[UInt8]>()
        var unique: [RevokedCertificate] = []
        for entry in revoked {
            let serial = normalized(entry.serialNumber)
            guard !entry.serialNumber.isEmpty, serial.count <= CryptoLimits.maximumSerialNumberBytes else {
                throw .malformed("revoked serial number of \(entry.serialNumber.count) bytes")
            }
            if seen.insert(serial).inserted { unique.append(entry) }
        }
        if unique.isEmpty { return }
        let listMark = writer.mark
        for entry in unique.reversed() {
            let mark = writer.mark
            try writer.writeTime(entry.revocationDate)
            try writer.writeUnsignedInteger(entry.serialNumber)
            try writer.wrap(tag: ASN1Writer.sequence, since: mark)
        }
        try writer.wrap(tag: ASN1Writer.sequence, since: listMark)
    }

    /// crlExtensions: cRLNumber (§5.2.3) and authorityKeyIdentifier (§5.2.1, the SHA-1 of the
    /// issuer's public key bits, as mbedTLS computes the root's subjectKeyIdentifier).
    static func writeExtensions(_ writer: ASN1Writer, issuer: CertificateIssuer, number: UInt64) throws(CryptoError) {
        let explicitMark = writer.mark
        let listMark = writer.mark
        let keyIdentifier = try issuerKeyIdentifier(issuer.key)
        let inner = ASN1Writer(capacity: 64)
        try inner.writePrimitive(tag: ASN1Writer.contextSpecific(0, constructed: false), keyIdentifier)
        try inner.wrap(tag: ASN1Writer.sequence, since: 0)
        try writeExtension(writer, oid: KnownOID.authorityKeyIdentifier, value: inner.bytes)
        let numberWriter = ASN1Writer(capacity: 32)
        try numberWriter.writeInteger(number)
        try writeExtension(writer, oid: KnownOID.crlNumber, value: numberWriter.bytes)
        try writer.wrap(tag: ASN1Writer.sequence, since: listMark)
        try writer.wrap(tag: ASN1Writer.contextSpecific(0, constructed: true), since: explicitMark)
    }

    /// Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    static func writeExtension(_ writer: ASN1Writer, oid: [UInt8], value: [UInt8]) throws(CryptoError) {
        let mark = writer.mark
        try writer.writeOctetString(value)
        try writer.writeOID(oid)
        try writer.wrap(tag: ASN1Writer.sequence, since: mark)
    }

    /// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents.
    static func issuerKeyIdentifier(_ key: PrivateKey) throws(CryptoError) -> [UInt8] {
        let writer = ASN1Writer(capacity: 1024)
        let code = writer.call { mbedtls_pk_write_pubkey($0, writer.start, key.context) }
        try writer.record(code, "mbedtls_pk_write_pubkey")
        return SHA1.hash(writer.bytes)
    }
}
