extension SIPURI {
    /// host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1).
    static func readHost(_ scanner: inout SIPScanner) throws(SIPError) -> [UInt8] {
        if scanner.current == UInt8(ascii: "[") {
            let start = scanner.index
            scanner.index += 1
            let address = try scanner.read("an IPv6 address") { SIPCharacters.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
            // IPv6address is at most 45 characters (RFC 4291 §2.2 with an embedded IPv4 part).
            guard scanner.current == UInt8(ascii: "]"), address.count <= 45, address.contains(UInt8(ascii: ":")) else {
                throw scanner.fail("malformed IPv6 reference")
            }
            scanner.index += 1
            return Array(scanner.bytes[start..<scanner.index])
        }
        let host = try scanner.read("a host") { SIPCharacters.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard isHostname(host) || isIPv4(host) else { throw scanner.fail("malformed host") }
        return SIPCharacters.lowercased(host)
    }

    /// hostname = *( domainlabel "." ) toplabel [ "." ]; labels of alphanum and "-" that
    /// neither start nor end with "-"; toplabel starts with a letter.
    static func isHostname(_ host: [UInt8]) -> Bool {
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard let top = labels.last, let first = top.first, SIPCharacters.isAlpha(first) else { return false }
        for label in labels {
            guard let head = label.first, let tail = label.last, head != UInt8(ascii: "-"), tail != UInt8(ascii: "-"), label.count <= 63
            else { return false }
        }
        return host.count <= 255
    }

    /// IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (each at most 255).
    static func isIPv4(_ host: [UInt8]) -> Bool {
        let parts = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { $0.count <= 3 && SIPCharacters.decimal($0, maximum: 255) != nil }
    }

    /// uri-parameters = *( ";" uri-parameter ), other-param = pname [ "=" pvalue ]. No
    /// whitespace inside a URI.
    static func readURIParameters(_ scanner: inout SIPScanner) throws(SIPError) -> [SIPParameter] {
        var parameters: [SIPParameter] = []
        while scanner.current == UInt8(ascii: ";") {
            scanner.index += 1
            let name = try scanner.readEscaped("a URI parameter name", allowed: SIPCharacters.isParameter)
            var value: [UInt8]? = nil
            if scanner.current == UInt8(ascii: "=") {
                scanner.index += 1
                value = try scanner.readEscaped("a URI parameter value", allowed: SIPCharacters.isParameter)
            }
            let parameter = SIPParameter(name: name, value: value)
            guard !parameters.contains(where: { $0.name == parameter.name }) else { throw scanner.fail("repeated URI parameter") }
            guard parameters.count < SIPLimits.maximumParameters else {
                throw .tooManyHeaders(field: scanner.field, limit: SIPLimits.maximumParameters)
            }
            parameters.append(parameter)
        }
        return parameters
    }

    /// headers = "?" header *( "&" header ), header = hname "=" hvalue (hvalue may be empty).
    static func readURIHeaders(_ scanner: inout SIPScanner) throws(SIPError) -> [SIPParameter] {
        var headers: [SIPParameter] = []
        guard scanner.current == UInt8(ascii: "?") else { return headers }
        repeat {
            scanner.index += 1
            let name = try scanner.readEscaped("a URI header name", allowed: SIPCharacters.isURIHeader)
            guard scanner.current == UInt8(ascii: "=") else { throw scanner.fail("URI header without =") }
            scanner.index += 1
            var value: [UInt8] = []
            if let byte = scanner.current, byte != UInt8(ascii: "&") {
                value = try scanner.readEscaped("a URI header value", allowed: SIPCharacters.isURIHeader)
            }
            guard headers.count < SIPLimits.maximumURIHeaders else {
                throw .tooManyHeaders(field: scanner.field, limit: SIPLimits.maximumURIHeaders)
            }
            // Header names of a URI keep their case (they are header field names, written back).
            headers.append(SIPParameter(rawName: name, value: value))
        } while scanner.current == UInt8(ascii: "&")
        return headers
    }
}

extension SIPParameter {
    init(rawName: [UInt8], value: [UInt8]?) {
        self.name = rawName
        self.value = value
    }
}
