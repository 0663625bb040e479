/// A SIP request or response (RFC 3261 §7), parsed fully: the headers every message needs
/// (§8.1.1: Via, From, To, Call-ID, CSeq) and those a registrar and proxy act on have types;
/// the others are kept as text in order. Content-Length is not kept: it is the body's size.
public struct SIPMessage: Equatable, Sendable {
    public var startLine: SIPStartLine
    /// Top first (§20.42: the order of Via values is significant).
    public var via: [SIPVia]
    public var from: SIPNameAddress
    public var to: SIPNameAddress
    /// Call-ID = word [ "@" word ] (§20.8), compared byte for byte.
    public var callId: [UInt8]
    public var cseq: SIPCSeq
    public var maxForwards: Int?
    public var contacts: [SIPNameAddress]
    /// `Contact: *` (§10.2.2: REGISTER with Expires 0 removes all bindings).
    public var isContactWildcard: Bool
    public var expires: UInt32?
    public var routes: [SIPNameAddress]
    public var recordRoutes: [SIPNameAddress]
    public var authorizations: [SIPAuthentication]
    public var proxyAuthorizations: [SIPAuthentication]
    public var wwwAuthenticates: [SIPAuthentication]
    public var proxyAuthenticates: [SIPAuthentication]
    public var otherHeaders: [SIPHeaderField]
    public var body: [UInt8]

    public init(
        startLine: SIPStartLine, via: [SIPVia], from: SIPNameAddress, to: SIPNameAddress, callId: [UInt8], cseq: SIPCSeq,
        maxForwards: Int? = nil, contacts: [SIPNameAddress] = [], isContactWildcard: Bool = false, expires: UInt32? = nil,
        routes: [SIPNameAddress] = [], recordRoutes: [SIPNameAddress] = [], otherHeaders: [SIPHeaderField] = [], body: [UInt8] = []
    ) {
        self.startLine = startLine
        self.via = via
        self.from = from
        self.to = to
        self.callId = callId
        self.cseq = cseq
        self.maxForwards = maxForwards
        self.contacts = contacts
        self.isContactWildcard = isContactWildcard
        self.expires = expires
        self.routes = routes
        self.recordRoutes = recordRoutes
        self.authorizations = []
        self.proxyAuthorizations = []
        self.wwwAuthenticates = []
        self.proxyAuthenticates = []
        self.otherHeaders = otherHeaders
        self.body = body
    }

    public var isRequest: Bool {
        if case .request = startLine { return true }
        return false
    }

    /// The request's method; nil for a response.
    public var method: SIPMethod? {
        if case .request(let method, _) = startLine { return method }
        return nil
    }

    /// The request's Request-URI; nil for a response.
    public var requestURI: SIPURI? {
        if case .request(_, let uri) = startLine { return uri }
        return nil
    }

    /// The response's status code; nil for a request.
    public var statusCode: Int? {
        if case .response(let code, _) = startLine { return code }
        return nil
    }

    /// Values of the text headers named `name` (case-insensitive), in order.
    public func values(of name: String) -> [[UInt8]] {
        return otherHeaders.filter { $0.isNamed(name) }.map { $0.value }
    }
}

/// Request-Line = Method SP Request-URI SP SIP-Version CRLF;
/// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.1, §7.2).
public enum SIPStartLine: Equatable, Sendable {
    case request(method: SIPMethod, uri: SIPURI)
    /// A status code of three digits, 100 to 699 (§21), and the reason phrase.
    case response(statusCode: Int, reason: [UInt8])
}
