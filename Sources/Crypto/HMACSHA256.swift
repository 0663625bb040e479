/// HMAC-SHA256 (RFC 2104, RFC 4231): keyed integrity for values we hand out and take back
/// without keeping state, such as the SIP Digest nonces of our registrar.
public enum HMACSHA256 {
    public static let codeLength = SHA256.digestLength

    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        return MessageDigest.sha256.authenticationCode(key: key, message: message)
    }

    /// Compares two codes in time that depends on their lengths only, not on where they
    /// differ (a timing oracle would let an attacker forge a code byte by byte).
    public static func isEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<left.count { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
