import Crypto

/// One enrollment account: who may enroll, with which password, how many Node-IDs over all time.
public struct Account: Equatable {
    public var name: String
    public var passwordHash: PasswordHash
    /// Overrides EnrollmentPolicy.maxNodeIdsPerUser for this user.
    public var maxNodeIds: Int?

    public init(name: String, passwordHash: PasswordHash, maxNodeIds: Int? = nil) {
        self.name = name
        self.passwordHash = passwordHash
        self.maxNodeIds = maxNodeIds
    }

    /// Account names: 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit. The
    /// certificate's user name is NAME@OVERLAY (RFC 6940 §11.3 rfc822Name).
    public static func isValidName(_ name: [UInt8]) -> Bool {
        guard let first = name.first, name.count <= EnrollmentLimits.maximumUserNameBytes else { return false }
        let isLowerAlphanumeric = { (byte: UInt8) in (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        return isLowerAlphanumeric(first)
            && name.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}
