import CMbedTLS

extension Certificate {
    /// The DER of the issuer and subject names, for exact comparison (chain building, CRL
    /// issuer, self-signed detection).
    public var issuerRaw: [UInt8] { bytes(context.pointee.issuer_raw) }
    public var subjectRaw: [UInt8] { bytes(context.pointee.subject_raw) }

    /// True when issuer and subject names are the same bytes (a self-issued certificate; the
    /// signature is checked elsewhere).
    public var isSelfIssued: Bool { issuerRaw == subjectRaw }

    /// Every subjectAltName entry as (context-specific tag number, contents); throws if there
    /// are more than Certificate.maximumSubjectAltNames.
    public func subjectAltNameEntries() throws(CryptoError) -> [(tag: UInt8, contents: [UInt8])] {
        var entries: [(tag: UInt8, contents: [UInt8])] = []
        var node: mbedtls_x509_sequence? = context.pointee.subject_alt_names
        while let current = node {
            if current.buf.p != nil {
                guard entries.count < Certificate.maximumSubjectAltNames else {
                    throw .rejected(.malformedIdentity("more than \(Certificate.maximumSubjectAltNames) subjectAltNames"))
                }
                let tag = UInt8(truncatingIfNeeded: current.buf.tag) & 0x1F
                entries.append((tag, bytes(current.buf)))
            }
            node = current.next?.pointee
        }
        return entries
    }

    /// RFC 6940 §11.3 and §14.15: the Node-IDs (one per reload URI, each a Destination List of
    /// one node entry of `nodeIdLength` bytes, of this `overlay`) and the single rfc822Name.
    /// Any other kind of subjectAltName, a duplicate Node-ID, a second user name or a
    /// malformed one is refused with `.rejected(.malformedIdentity)`.
    public func reloadIdentity(overlay: String, nodeIdLength: Int) throws(CryptoError) -> ReloadIdentity {
        var nodeIds: [[UInt8]] = []
        var userNames: [String] = []
        for entry in try subjectAltNameEntries() {
            let text = String(decoding: entry.contents, as: UTF8.self)
            switch entry.tag {
            case SubjectAltName.uniformResourceIdentifier("").tagNumber:
                let nodeId = try ReloadURI.nodeId(fromPeerURI: text, overlay: overlay, nodeIdLength: nodeIdLength)
                guard !nodeIds.contains(nodeId) else { throw malformedIdentity("the same Node-ID twice") }
                guard nodeIds.count < CryptoLimits.maximumNodeIdsPerCertificate else {
                    throw malformedIdentity("more than \(CryptoLimits.maximumNodeIdsPerCertificate) Node-IDs")
                }
                nodeIds.append(nodeId)
            case SubjectAltName.rfc822Name("").tagNumber:
                guard UserName.isValid(text), Array(text.utf8) == entry.contents else {
                    throw malformedIdentity("user name is not a plain rfc822Name")
                }
                userNames.append(text)
            default:
                throw malformedIdentity("subjectAltName of type \(entry.tag) besides Node-IDs and user name")
            }
        }
        guard !nodeIds.isEmpty else { throw malformedIdentity("no reload URI (Node-ID)") }
        guard userNames.count == 1 else { throw malformedIdentity("\(userNames.count) rfc822Names, need exactly one") }
        return ReloadIdentity(nodeIds: nodeIds, userName: userNames[0])
    }

    func malformedIdentity(_ what: String) -> CryptoError {
        return .rejected(.malformedIdentity(what))
    }
}
