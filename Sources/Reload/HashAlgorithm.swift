/// TLS HashAlgorithm registry (RFC 5246 §7.4.1.4.1), used by §6.3.4 and §7.4.3.2.
public struct HashAlgorithm: Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let none = HashAlgorithm(rawValue: 0)
    public static let md5 = HashAlgorithm(rawValue: 1)
    public static let sha1 = HashAlgorithm(rawValue: 2)
    public static let sha224 = HashAlgorithm(rawValue: 3)
    public static let sha256 = HashAlgorithm(rawValue: 4)
    public static let sha384 = HashAlgorithm(rawValue: 5)
    public static let sha512 = HashAlgorithm(rawValue: 6)

    public var name: String {
        let names = ["none", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
        return Int(rawValue) < names.count ? names[Int(rawValue)] : "unknown"
    }
}
