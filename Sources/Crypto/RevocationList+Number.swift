import Wire

extension RevocationList {
    /// RFC 5280 §5.2.3: cRLNumber ::= INTEGER (0..MAX), "CRL issuers MUST NOT use CRLNumber
    /// values longer than 20 octets" and users "MUST be able to handle" that many; with a
    /// leading zero byte for a positive number whose first bit is set, 21 bytes of content.
    static let maximumNumberContentBytes = 21

    /// The cRLNumber extension's value without leading zero bytes, nil when the CRL has none.
    /// mbedTLS 2.28 parses crlExtensions only as far as finding their bounds (`crl_ext`), so
    /// the walk is ours: Extensions ::= SEQUENCE OF Extension (§4.1, §5.1.2.7), the [0]
    /// EXPLICIT wrapper accepted or not.
    static func number(inExtensions encoded: [UInt8]) throws(CryptoError) -> [UInt8]? {
        guard !encoded.isEmpty else { return nil }
        var outer = DERReader(encoded)
        var sequence = outer.next()
        if let wrapped = sequence, wrapped.tag == 0xA0 {
            var inner = DERReader(wrapped.contents)
            sequence = inner.next()
        }
        guard let list = sequence, list.tag == 0x30 else { throw .malformed("CRL extensions are not a SEQUENCE") }
        var extensions = DERReader(list.contents)
        var found: [UInt8]? = nil
        // Each Extension is at least 2 bytes: the walk ends within contents.count / 2 rounds.
        for _ in 0..<(list.contents.count / 2 + 1) {
            if extensions.isAtEnd { break }
            guard let element = extensions.next(), element.tag == 0x30 else { throw .malformed("CRL extension is not a SEQUENCE") }
            var fields = DERReader(element.contents)
            guard let oid = fields.next(tag: 0x06) else { throw .malformed("CRL extension without an OID") }
            _ = fields.next(tag: 0x01)
            guard let value = fields.next(tag: 0x04), fields.isAtEnd else { throw .malformed("CRL extension without extnValue") }
            guard oid == KnownOID.crlNumber else { continue }
            // §4.2: "A certificate MUST NOT include more than one instance of a particular
            // extension" (and §5.2 likewise for CRLs).
            guard found == nil else { throw .malformed("CRL with two cRLNumber extensions") }
            found = try parseNumber(value)
        }
        return found
    }

    static func parseNumber(_ value: [UInt8]) throws(CryptoError) -> [UInt8] {
        var reader = DERReader(value)
        guard let integer = reader.next(tag: 0x02), reader.isAtEnd, !integer.isEmpty,
            integer.count <= maximumNumberContentBytes, integer[0] & 0x80 == 0
        else { throw .malformed("cRLNumber is not an INTEGER of 0...20 octets") }
        return normalized(integer)
    }

    /// The CRL number in decimal when it fits 64 bits (our CA's numbers do), else in hex.
    public var numberText: String? {
        guard let number else { return nil }
        guard number.count <= 8 else { return "0x" + Hex.encode(number) }
        return String(number.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// -1, 0 or 1: how this list's place in its issuer's sequence compares with `other`'s.
    /// RFC 5280 §5.2.3: the cRLNumber "monotonically increasing sequence number ... allows
    /// users to easily determine when a particular CRL supersedes another CRL"; when either
    /// list has none, thisUpdate (§5.1.2.4) decides.
    public func sequenceOrder(comparedWith other: RevocationList) -> Int {
        if let mine = number, let theirs = other.number {
            if mine.count != theirs.count { return mine.count < theirs.count ? -1 : 1 }
            for (a, b) in zip(mine, theirs) where a != b { return a < b ? -1 : 1 }
            return 0
        }
        if thisUpdate == other.thisUpdate { return 0 }
        return thisUpdate < other.thisUpdate ? -1 : 1
    }

    /// True when `now` is past nextUpdate (RFC 5280 §5.1.2.5: "the date by which the next CRL
    /// will be issued"): a newer list should exist and this one is stale. A list without
    /// nextUpdate is never stale by this test.
    public func isStale(at now: CertificateTime) -> Bool {
        guard let nextUpdate else { return false }
        return nextUpdate < now
    }
}
