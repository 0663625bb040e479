/// TLS SignatureAlgorithm registry (RFC 5246 §7.4.1.4.1), used by §6.3.4.
public struct SignatureAlgorithm: Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let anonymous = SignatureAlgorithm(rawValue: 0)
    public static let rsa = SignatureAlgorithm(rawValue: 1)
    public static let dsa = SignatureAlgorithm(rawValue: 2)
    public static let ecdsa = SignatureAlgorithm(rawValue: 3)

    public var name: String {
        let names = ["anonymous", "rsa", "dsa", "ecdsa"]
        return Int(rawValue) < names.count ? names[Int(rawValue)] : "unknown"
    }
}
