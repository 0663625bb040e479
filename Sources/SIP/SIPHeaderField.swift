/// A header field the message keeps as text: every header without a type of its own here
/// (Content-Type, User-Agent, Supported, ...). The name is the long form for compact forms
/// (RFC 3261 §7.3.3) and as written otherwise; the value is trimmed, without CR or LF.
public struct SIPHeaderField: Equatable, Sendable {
    public let name: [UInt8]
    public let value: [UInt8]

    public init(name: [UInt8], value: [UInt8]) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: String) {
        self.init(name: Array(name.utf8), value: Array(value.utf8))
    }

    /// Whether this field's name is `name`, ignoring case (§7.3.1: names are case-insensitive).
    public func isNamed(_ name: String) -> Bool {
        return SIPCharacters.lowercased(self.name) == SIPCharacters.lowercased(Array(name.utf8))
    }
}

/// The headers the parser gives a type (RFC 3261 §20), and the compact forms of §7.3.3 and
/// later RFCs.
enum SIPHeaderName: Equatable {
    case via, from, to, callId, cseq, maxForwards, contact, expires, route, recordRoute, contentLength
    case authorization, proxyAuthorization, wwwAuthenticate, proxyAuthenticate
    /// Kept as text, under this (long) name.
    case other([UInt8])

    static let typed: [(name: StaticString, header: SIPHeaderName)] = [
        ("via", .via), ("v", .via), ("from", .from), ("f", .from), ("to", .to), ("t", .to), ("call-id", .callId),
        ("i", .callId), ("cseq", .cseq), ("max-forwards", .maxForwards), ("contact", .contact), ("m", .contact),
        ("expires", .expires), ("route", .route), ("record-route", .recordRoute), ("content-length", .contentLength),
        ("l", .contentLength), ("authorization", .authorization), ("proxy-authorization", .proxyAuthorization),
        ("www-authenticate", .wwwAuthenticate), ("proxy-authenticate", .proxyAuthenticate),
    ]

    /// RFC 3261 §7.3.3 (c, e, s, k), RFC 6665 (o, u), RFC 3515 (r), RFC 3892 (b), RFC 4028 (x),
    /// RFC 3841 (a, j, d), RFC 4474 (y, n).
    static let compactOthers: [(compact: UInt8, name: String)] = [
        (UInt8(ascii: "c"), "Content-Type"), (UInt8(ascii: "e"), "Content-Encoding"), (UInt8(ascii: "s"), "Subject"),
        (UInt8(ascii: "k"), "Supported"), (UInt8(ascii: "o"), "Event"), (UInt8(ascii: "u"), "Allow-Events"),
        (UInt8(ascii: "r"), "Refer-To"), (UInt8(ascii: "b"), "Referred-By"), (UInt8(ascii: "x"), "Session-Expires"),
        (UInt8(ascii: "a"), "Accept-Contact"), (UInt8(ascii: "j"), "Reject-Contact"),
        (UInt8(ascii: "d"), "Request-Disposition"), (UInt8(ascii: "y"), "Identity"), (UInt8(ascii: "n"), "Identity-Info"),
    ]

    init(_ name: [UInt8]) {
        for entry in SIPHeaderName.typed where SIPCharacters.equalsIgnoringCase(name, entry.name) {
            self = entry.header
            return
        }
        if name.count == 1 {
            let compact = SIPCharacters.lowercased(name[0])
            for entry in SIPHeaderName.compactOthers where entry.compact == compact {
                self = .other(Array(entry.name.utf8))
                return
            }
        }
        self = .other(name)
    }

    /// Whether the header's grammar has quoted strings, which may hold quoted-pairs (all the
    /// typed headers but Call-ID, CSeq and the numbers); extension headers have none.
    var hasQuotedStrings: Bool {
        switch self {
        case .via, .from, .to, .contact, .route, .recordRoute, .authorization, .proxyAuthorization, .wwwAuthenticate, .proxyAuthenticate:
            return true
        case .callId, .cseq, .maxForwards, .expires, .contentLength, .other:
            return false
        }
    }

    /// The name used in errors and when writing.
    var text: String {
        switch self {
        case .via: return "Via"
        case .from: return "From"
        case .to: return "To"
        case .callId: return "Call-ID"
        case .cseq: return "CSeq"
        case .maxForwards: return "Max-Forwards"
        case .contact: return "Contact"
        case .expires: return "Expires"
        case .route: return "Route"
        case .recordRoute: return "Record-Route"
        case .contentLength: return "Content-Length"
        case .authorization: return "Authorization"
        case .proxyAuthorization: return "Proxy-Authorization"
        case .wwwAuthenticate: return "WWW-Authenticate"
        case .proxyAuthenticate: return "Proxy-Authenticate"
        case .other(let name): return String(decoding: name, as: UTF8.self)
        }
    }
}
