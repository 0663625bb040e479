import CMbedTLS
import Wire

/// The overlay's certificate authority: the root key and root certificate of the enrollment
/// server (RFC 6940 §11.3, §13.3), and the certificates it signs.
///
/// - the root itself: self-signed, basicConstraints cA true (path length 0: no intermediate
///   CAs), keyUsage keyCertSign and cRLSign;
/// - node certificates: empty subject, subjectAltName (critical) with one reload URI per
///   Node-ID and the user name as rfc822Name and nothing else (§11.3), cA false;
/// - the enrollment server's TLS certificate: subjectAltName dNSName/iPAddress.
///
/// Validity and serial numbers are arguments: nothing here reads a clock.
public final class CertificateIssuer {
    public let key: PrivateKey
    public let certificate: Certificate

    /// An issuer from a root key and its certificate: the certificate must be a CA certificate
    /// for exactly this key.
    public init(key: PrivateKey, certificate: Certificate) throws(CryptoError) {
        guard certificate.isCertificateAuthority else {
            throw .malformed("issuer certificate is not a CA certificate")
        }
        let code = mbedtls_pk_check_pair(&certificate.context.pointee.pk, key.context)
        if code != 0 { throw .unsupportedKey("issuer key does not match the issuer certificate") }
        self.key = key
        self.certificate = certificate
    }

    /// A new self-signed root certificate for `key`, subject "CN=`commonName`".
    public static func createRoot(
        key: PrivateKey, commonName: String, serial: [UInt8], notBefore: CertificateTime, notAfter: CertificateTime,
        using random: RandomGenerator
    ) throws(CryptoError) -> CertificateIssuer {
        guard isPlainNameText(commonName) else {
            throw .malformed("root common name must be 1-64 letters, digits, spaces or .-_@:")
        }
        let writer = CertificateWriter()
        try writer.setSerial(serial)
        try writer.setValidity(notBefore: notBefore, notAfter: notAfter)
        try writer.setNames(subject: "CN=" + commonName, issuer: "CN=" + commonName)
        writer.setKeys(subject: key.context, issuer: key.context)
        try writer.setUsage(
            certificateAuthority: true, keyUsage: MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN)
        let der = try writer.der(using: random)
        return try CertificateIssuer(key: key, certificate: Certificate(der: der))
    }

    /// RFC 6940 §11.3: a node certificate for `publicKey` carrying `nodeIds` as reload URIs
    /// (§14.15) of `overlay` and `userName` as the single rfc822Name. The subject is empty.
    public func issueNodeCertificate(
        publicKey: PublicKey, nodeIds: [[UInt8]], userName: String, overlay: String, serial: [UInt8],
        notBefore: CertificateTime, notAfter: CertificateTime, using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        let names = try CertificateIssuer.nodeNames(nodeIds: nodeIds, userName: userName, overlay: overlay)
        let writer = CertificateWriter()
        try writer.setSerial(serial)
        try writer.setValidity(notBefore: notBefore, notAfter: notAfter)
        try writer.setNames(subject: "", issuer: certificate.subject)
        writer.setKeys(subject: publicKey.context, issuer: key.context)
        try writer.setUsage(certificateAuthority: false, keyUsage: MBEDTLS_X509_KU_DIGITAL_SIGNATURE)
        try writer.setSubjectAltNames(names, critical: true)
        let der = try withExtendedLifetime(publicKey) { () throws(CryptoError) -> [UInt8] in try writer.der(using: random) }
        try checkIssuerName(of: der)
        return der
    }

    /// A TLS server certificate for the enrollment and configuration server (§11.2, §11.3: it
    /// must match the overlay name): subject CN is the first DNS name, subjectAltName lists
    /// `dnsNames` and `ipAddresses` (4 or 16 bytes each).
    public func issueServerCertificate(
        publicKey: PublicKey, dnsNames: [String], ipAddresses: [[UInt8]], serial: [UInt8],
        notBefore: CertificateTime, notAfter: CertificateTime, using random: RandomGenerator
    ) throws(CryptoError) -> [UInt8] {
        guard let first = dnsNames.first, CertificateIssuer.isPlainNameText(first) else {
            throw .malformed("server certificate needs a first DNS name of plain characters")
        }
        let names = dnsNames.map { SubjectAltName.dnsName($0) } + ipAddresses.map { SubjectAltName.ipAddress($0) }
        let writer = CertificateWriter()
        try writer.setSerial(serial)
        try writer.setValidity(notBefore: notBefore, notAfter: notAfter)
        try writer.setNames(subject: "CN=" + first, issuer: certificate.subject)
        writer.setKeys(subject: publicKey.context, issuer: key.context)
        try writer.setUsage(
            certificateAuthority: false, keyUsage: MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_KEY_ENCIPHERMENT)
        try writer.setSubjectAltNames(names, critical: false)
        let der = try withExtendedLifetime(publicKey) { () throws(CryptoError) -> [UInt8] in try writer.der(using: random) }
        try checkIssuerName(of: der)
        return der
    }

    /// A random serial number of CryptoLimits.issuedSerialNumberBytes bytes: positive, top bit
    /// clear and the next one set, so every serial has the same DER length (RFC 5280 §4.1.2.2
    /// wants serials unique; 126 random bits make a collision negligible).
    public static func randomSerial(using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        var serial = try random.bytes(CryptoLimits.issuedSerialNumberBytes)
        serial[0] = (serial[0] & 0x3F) | 0x40
        return serial
    }

    /// The SAN of a node certificate (§11.3): at least one Node-ID, no duplicates, a plain
    /// rfc822Name.
    static func nodeNames(nodeIds: [[UInt8]], userName: String, overlay: String) throws(CryptoError) -> [SubjectAltName] {
        guard !nodeIds.isEmpty, nodeIds.count <= CryptoLimits.maximumNodeIdsPerCertificate else {
            throw .malformed("\(nodeIds.count) Node-IDs for one certificate")
        }
        var names: [SubjectAltName] = []
        for (index, nodeId) in nodeIds.enumerated() {
            guard CryptoLimits.nodeIdLengthRange.contains(nodeId.count), nodeId.count == nodeIds[0].count else {
                throw .malformed("Node-ID of \(nodeId.count) bytes")
            }
            guard !nodeIds[0..<index].contains(nodeId) else { throw .malformed("duplicate Node-ID") }
            names.append(.uniformResourceIdentifier(ReloadURI.peer(nodeId: nodeId, overlay: overlay)))
        }
        guard ReloadURI.isRegName(Array(overlay.utf8)) else { throw .malformed("overlay name is not a reg-name") }
        guard UserName.isValid(userName) else { throw .malformed("user name is not a plain rfc822Name") }
        names.append(.rfc822Name(userName))
        return names
    }

    /// The issuer name was written from the root's printed subject: make sure it came out
    /// byte for byte as the root's subject, or chains would not build.
    func checkIssuerName(of der: [UInt8]) throws(CryptoError) {
        let issued = try Certificate(der: der)
        guard issued.issuerRaw == certificate.subjectRaw else {
            throw .malformed("issued certificate's issuer name differs from the root subject")
        }
    }

    /// Letters, digits, space and . - _ @ : (no characters with meaning in mbedTLS's DN syntax).
    static func isPlainNameText(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let punctuation = Array(" .-_@:".utf8)
        return !bytes.isEmpty && bytes.count <= 64 && bytes.first != UInt8(ascii: " ")
            && bytes.allSatisfy { ReloadURI.isAlphanumeric($0) || punctuation.contains($0) }
    }
}
