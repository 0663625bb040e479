/// Where an HTTPS client connects: `https://HOST[:PORT][/PATH]` (RFC 9110 §4.2.2), HOST a
/// DNS name, an IPv4 address or a bracketed IPv6 address. No user info, query or fragment:
/// the enrollment URLs of RFC 6940 §11.1 and §11.3 need none.
public struct HTTPSLocation: Equatable, Sendable {
    public let host: String
    public let port: UInt16
    /// "/" when the URL has no path.
    public let path: String
    /// True when `host` is an IP address literal (the name to check in the server's
    /// certificate must then come from elsewhere: the overlay name, RFC 6940 §11.3).
    public let hostIsAddress: Bool

    static let maximumURLBytes = 2048

    public static func parse(_ url: String) throws(HTTPSError) -> HTTPSLocation {
        let bytes = Array(url.utf8)
        let scheme = Array("https://".utf8)
        guard bytes.count <= maximumURLBytes, bytes.count > scheme.count,
            bytes[0..<scheme.count].map({ $0 | 0x20 }) == scheme.map({ $0 | 0x20 })
        else { throw .setup("URL '\(url)' is not https://HOST[:PORT][/PATH]") }
        let rest = Array(bytes[scheme.count...])
        let slash = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.count
        let authority = Array(rest[0..<slash])
        let path = slash < rest.count ? String(decoding: rest[slash...], as: UTF8.self) : "/"
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }) else {
            throw .setup("URL '\(url)': the path may not hold spaces, a query or a fragment")
        }
        let (host, port, isAddress) = try splitAuthority(authority, url: url)
        return HTTPSLocation(host: host, port: port, path: path, hostIsAddress: isAddress)
    }

    static func splitAuthority(_ authority: [UInt8], url: String) throws(HTTPSError) -> (String, UInt16, Bool) {
        var hostBytes = authority
        var port: UInt16 = 443
        var isAddress = false
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw .setup("URL '\(url)': unclosed [") }
            hostBytes = Array(authority[1..<close])
            isAddress = true
            if close + 1 < authority.count {
                guard authority[close + 1] == UInt8(ascii: ":") else { throw .setup("URL '\(url)': junk after ]") }
                port = try parsePort(Array(authority[(close + 2)...]), url: url)
            }
        } else if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            hostBytes = Array(authority[0..<colon])
            port = try parsePort(Array(authority[(colon + 1)...]), url: url)
        }
        guard !hostBytes.isEmpty, hostBytes.count <= 253,
            hostBytes.allSatisfy({ isHostCharacter($0) || (isAddress && $0 == UInt8(ascii: ":")) })
        else { throw .setup("URL '\(url)': host is not a DNS name or an IP address") }
        if !isAddress { isAddress = hostBytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") } }
        return (String(decoding: hostBytes, as: UTF8.self), port, isAddress)
    }

    static func isHostCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    static func parsePort(_ digits: [UInt8], url: String) throws(HTTPSError) -> UInt16 {
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .setup("URL '\(url)': port is not a number")
        }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard value >= 1 && value <= 65535 else { throw .setup("URL '\(url)': port \(value) outside 1...65535") }
        return UInt16(value)
    }

    /// "host:port", with brackets for IPv6: the Host header and what `SocketAddress.parse` reads.
    public var authority: String {
        let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        return port == 443 ? name : "\(name):\(port)"
    }

    /// The address to connect to when the host is an IP literal.
    public var socketAddress: String {
        let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        return "\(name):\(port)"
    }
}
