import Crypto
import Wire

/// The Digest algorithms of RFC 8760 §2.1 we serve: SHA-256 (preferred) and MD5 (the default
/// when a client names none, RFC 3261 §22.4, kept for compatibility). SHA-512/256 is not
/// offered: mbedTLS 2.28 has no SHA-512/256. The "-sess" variants are not offered either.
public enum DigestAlgorithm: Equatable, Sendable {
    case md5
    case sha256

    /// The token of the algorithm parameter.
    public var name: [UInt8] {
        switch self {
        case .md5: return Array("MD5".utf8)
        case .sha256: return Array("SHA-256".utf8)
        }
    }

    /// Nil for names we do not serve. Compared case-insensitively (RFC 7616 §3.3 tokens).
    public init?(name: [UInt8]) {
        if SIPCharacters.equalsIgnoringCase(name, "MD5") {
            self = .md5
        } else if SIPCharacters.equalsIgnoringCase(name, "SHA-256") {
            self = .sha256
        } else {
            return nil
        }
    }

    /// Lower-case hex digits of a digest (RFC 2617 §3.1.3 "the representation of the 128 bit
    /// MD5 digest ... as 32 ASCII printable characters", lower case).
    public var hexLength: Int { self == .md5 ? 2 * MD5.digestLength : 2 * SHA256.digestLength }

    /// H(data) as lower-case hex, the unit every Digest computation works in.
    public func hexHash(_ data: [UInt8]) -> [UInt8] {
        let digest = self == .md5 ? MD5.hash(data) : SHA256.hash(data)
        return Array(Hex.encode(digest).utf8)
    }

    /// RFC 2617 §3.2.2.2: A1 = unq(username-value) ":" unq(realm-value) ":" passwd; HA1 = H(A1).
    public func ha1(username: [UInt8], realm: [UInt8], password: [UInt8]) -> [UInt8] {
        return hexHash(username + [UInt8(ascii: ":")] + realm + [UInt8(ascii: ":")] + password)
    }

    /// RFC 2617 §3.2.2.1 with qop=auth: H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2),
    /// HA2 = H(Method ":" digest-uri-value) (§3.2.2.3).
    public func response(
        ha1: [UInt8], nonce: [UInt8], nonceCount: [UInt8], cnonce: [UInt8], method: [UInt8], uri: [UInt8]
    ) -> [UInt8] {
        let colon = [UInt8(ascii: ":")]
        let ha2 = hexHash(method + colon + uri)
        return hexHash(ha1 + colon + nonce + colon + nonceCount + colon + cnonce + colon + Array("auth".utf8) + colon + ha2)
    }
}
