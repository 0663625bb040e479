/// MD5 (RFC 1321). Broken as a collision-resistant hash and used for nothing of ours except
/// SIP Digest authentication, where RFC 3261 §22.4 and RFC 8760 §2.1 keep it as the default
/// algorithm for compatibility with deployed phones.
public enum MD5 {
    public static let digestLength = 16

    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        return MessageDigest.md5.hash(Array(data))
    }
}
