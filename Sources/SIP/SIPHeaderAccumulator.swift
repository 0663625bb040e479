/// The typed headers of one message while its header section is read (RFC 3261 §20), checked
/// one header at a time; `message(body:)` checks what needs the whole section.
struct SIPHeaderAccumulator {
    let startLine: SIPStartLine
    var via: [SIPVia] = []
    var from: SIPNameAddress?
    var to: SIPNameAddress?
    var callId: [UInt8]?
    var cseq: SIPCSeq?
    var maxForwards: Int?
    var contacts: [SIPNameAddress] = []
    var isContactWildcard = false
    var expires: UInt32?
    var contentLength: Int?
    var routes: [SIPNameAddress] = []
    var recordRoutes: [SIPNameAddress] = []
    var authentications: [[SIPAuthentication]] = [[], [], [], []]
    var others: [SIPHeaderField] = []

    init(startLine: SIPStartLine) {
        self.startLine = startLine
    }

    mutating func add(_ name: SIPHeaderName, _ value: [UInt8]) throws(SIPError) {
        let field = name.text
        switch name {
        case .via: via += try list(value, field, current: via.count) { (text) throws(SIPError) in try SIPVia.parse(text, field: field) }
        case .from: from = try once(from, field) { () throws(SIPError) in try SIPNameAddress.parse(value, field: field) }
        case .to: to = try once(to, field) { () throws(SIPError) in try SIPNameAddress.parse(value, field: field) }
        case .callId: callId = try once(callId, field) { () throws(SIPError) in try SIPHeaderAccumulator.parseCallId(value) }
        case .cseq: cseq = try once(cseq, field) { () throws(SIPError) in try SIPCSeq.parse(value, field: field) }
        case .maxForwards:
            maxForwards = try once(maxForwards, field) { () throws(SIPError) in
                Int(try SIPHeaderAccumulator.number(value, field, maximum: UInt64(SIPLimits.maximumMaxForwards)))
            }
        case .expires:
            expires = try once(expires, field) { () throws(SIPError) in
                UInt32(try SIPHeaderAccumulator.number(value, field, maximum: SIPLimits.maximumDeltaSeconds))
            }
        case .contentLength:
            contentLength = try once(contentLength, field) { () throws(SIPError) in
                Int(try SIPHeaderAccumulator.number(value, field, maximum: UInt64(Int32.max)))
            }
        case .contact: try addContacts(value)
        case .route: routes += try list(value, field, current: routes.count) { (text) throws(SIPError) in try SIPNameAddress.parse(text, field: field, requireBrackets: true) }
        case .recordRoute:
            recordRoutes += try list(value, field, current: recordRoutes.count) { (text) throws(SIPError) in
                try SIPNameAddress.parse(text, field: field, requireBrackets: true)
            }
        case .authorization: try addAuthentication(0, value, field)
        case .proxyAuthorization: try addAuthentication(1, value, field)
        case .wwwAuthenticate: try addAuthentication(2, value, field)
        case .proxyAuthenticate: try addAuthentication(3, value, field)
        case .other(let text): others.append(SIPHeaderField(name: text, value: value))
        }
    }

    /// A header that may appear once (§20: From, To, Call-ID, CSeq, Max-Forwards, Expires,
    /// Content-Length).
    func once<T>(_ current: T?, _ field: String, _ parse: () throws(SIPError) -> T) throws(SIPError) -> T {
        guard current == nil else { throw .repeatedHeader(field: field) }
        return try parse()
    }

    /// The values of one line of a list header, within maximumValues over all its lines.
    func list<T>(_ value: [UInt8], _ field: String, current: Int, _ parse: ([UInt8]) throws(SIPError) -> T) throws(SIPError) -> [T] {
        var parsed: [T] = []
        for item in try splitList(value, field: field) {
            guard current + parsed.count < SIPLimits.maximumValues else { throw .tooManyHeaders(field: field, limit: SIPLimits.maximumValues) }
            parsed.append(try parse(item))
        }
        return parsed
    }

    mutating func addAuthentication(_ slot: Int, _ value: [UInt8], _ field: String) throws(SIPError) {
        guard authentications[slot].count < SIPLimits.maximumValues else { throw .tooManyHeaders(field: field, limit: SIPLimits.maximumValues) }
        authentications[slot].append(try SIPAuthentication.parse(value, field: field))
    }

    /// Contact = ("Contact" / "m") HCOLON ( STAR / (contact-param *(COMMA contact-param)))
    mutating func addContacts(_ value: [UInt8]) throws(SIPError) {
        let field = "Contact"
        if value == [UInt8(ascii: "*")] {
            guard !isContactWildcard, contacts.isEmpty else { throw .malformedHeader(field: field, reason: "* with other values") }
            isContactWildcard = true
            return
        }
        guard !isContactWildcard else { throw .malformedHeader(field: field, reason: "* with other values") }
        contacts += try list(value, field, current: contacts.count) { (text) throws(SIPError) in
            let contact = try SIPNameAddress.parse(text, field: field)
            try SIPHeaderAccumulator.checkContactParameters(contact.parameters)
            return contact
        }
    }
}
