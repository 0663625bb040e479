/// The Digest credentials of an Authorization or Proxy-Authorization header (RFC 3261
/// §22.4, grammar §25.1 digest-response; RFC 2617 §3.2.2), checked for presence, form and
/// size; whether they are right is DigestAuthenticator's question.
public struct DigestCredentials: Equatable, Sendable {
    public let username: [UInt8]
    public let realm: [UInt8]
    public let nonce: [UInt8]
    /// digest-uri-value, as the client wrote it (it must denote the Request-URI).
    public let uri: [UInt8]
    /// request-digest: lower-case hex, as many digits as the algorithm's digest has.
    public let response: [UInt8]
    public let algorithm: DigestAlgorithm
    /// "auth", the only quality of protection we offer (RFC 2617 §3.2.1).
    public let qop: [UInt8]?
    /// nc-value = 8LHEX, as written (it enters the response) and as a number.
    public let nonceCountText: [UInt8]?
    public let nonceCount: UInt32?
    public let cnonce: [UInt8]?

    public init(_ header: SIPAuthentication, field: String = "Authorization") throws(SIPError) {
        func required(_ name: String) throws(SIPError) -> [UInt8] {
            guard let value = header.value(name), !value.isEmpty, value.count <= SIPLimits.maximumDigestValueBytes else {
                throw .malformedHeader(field: field, reason: "Digest without a valid " + name)
            }
            return value
        }
        guard header.isDigest else { throw .malformedHeader(field: field, reason: "scheme is not Digest") }
        username = try required("username")
        realm = try required("realm")
        nonce = try required("nonce")
        uri = try required("uri")
        let algorithmName = header.value("algorithm") ?? Array("MD5".utf8)
        guard let algorithm = DigestAlgorithm(name: algorithmName) else {
            throw .malformedHeader(field: field, reason: "Digest algorithm not offered")
        }
        self.algorithm = algorithm
        let response = SIPCharacters.lowercased(try required("response"))
        guard response.count == algorithm.hexLength, response.allSatisfy(SIPCharacters.isHexDigit) else {
            throw .malformedHeader(field: field, reason: "Digest response is not the algorithm's hex digest")
        }
        self.response = response
        qop = header.value("qop")
        cnonce = qop == nil ? nil : try required("cnonce")
        nonceCountText = qop == nil ? nil : try required("nc")
        nonceCount = try DigestCredentials.nonceCount(nonceCountText, field: field)
    }

    /// nc-value = 8LHEX (RFC 2617 §3.2.2).
    static func nonceCount(_ text: [UInt8]?, field: String) throws(SIPError) -> UInt32? {
        guard let text else { return nil }
        guard text.count == 8, text.allSatisfy(SIPCharacters.isHexDigit) else {
            throw .malformedHeader(field: field, reason: "nc is not 8 hex digits")
        }
        var value: UInt32 = 0
        for byte in text {
            let digit = SIPCharacters.isDigit(byte) ? byte - 0x30 : SIPCharacters.lowercased(byte) - 0x61 + 10
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
