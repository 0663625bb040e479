import CMbedTLS
import Wire

/// A salted, slow password hash for the enrollment server's accounts (RFC 6940 §11.3: the
/// server authenticates "username" and "password"; we never store the password itself).
///
/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through mbedtls_pkcs5_pbkdf2_hmac, written as one text
/// field so that an accounts file holds it on one line:
///
///     pbkdf2-sha256$ITERATIONS$SALTHEX$HASHHEX
///
/// e.g. `pbkdf2-sha256$200000$00112233445566778899aabbccddeeff$<64 hex digits>`. The salt is 16
/// random bytes, the hash 32 bytes. Comparison takes the same time wherever the first
/// difference is.
public struct PasswordHash: Equatable {
    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    static let prefix = "pbkdf2-sha256"

    /// Hashes `password` with a new random salt.
    public static func create(
        password: [UInt8], iterations: Int = CryptoLimits.defaultPasswordIterations, using random: RandomGenerator
    ) throws(CryptoError) -> PasswordHash {
        guard CryptoLimits.passwordIterationRange.contains(iterations) else {
            throw .malformed("PBKDF2 iteration count \(iterations) outside \(CryptoLimits.passwordIterationRange)")
        }
        let salt = try random.bytes(CryptoLimits.passwordSaltBytes)
        let hash = try derive(password: password, salt: salt, iterations: iterations)
        return PasswordHash(iterations: iterations, salt: salt, hash: hash)
    }

    init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// Parses `pbkdf2-sha256$ITERATIONS$SALTHEX$HASHHEX` (exactly; no spaces).
    public init(encoded: String) throws(CryptoError) {
        let fields = Array(encoded.utf8).split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 4, Array(fields[0]) == Array(PasswordHash.prefix.utf8) else {
            throw .malformed("password hash is not pbkdf2-sha256$ITERATIONS$SALT$HASH")
        }
        guard let iterations = PasswordHash.decimal(fields[1]), CryptoLimits.passwordIterationRange.contains(iterations)
        else { throw .malformed("password hash iteration count outside \(CryptoLimits.passwordIterationRange)") }
        guard let salt = PasswordHash.strictHex(fields[2]), salt.count >= 8, salt.count <= 64 else {
            throw .malformed("password hash salt is not 8 to 64 bytes of hex")
        }
        guard let hash = PasswordHash.strictHex(fields[3]), hash.count == CryptoLimits.passwordHashBytes else {
            throw .malformed("password hash is not \(CryptoLimits.passwordHashBytes) bytes of hex")
        }
        self.init(iterations: iterations, salt: salt, hash: hash)
    }

    public var encoded: String {
        return PasswordHash.prefix + "$\(iterations)$" + Hex.encode(salt) + "$" + Hex.encode(hash)
    }

    /// True when `password` hashes to this hash. Costs one full PBKDF2 run whatever the input;
    /// an over-long password is hashed too (and fails), so its length does not show in time.
    public func matches(password: [UInt8]) -> Bool {
        let candidate = password.count <= CryptoLimits.maximumPasswordBytes ? password : []
        guard let derived = try? PasswordHash.derive(password: candidate, salt: salt, iterations: iterations) else {
            return false
        }
        return PasswordHash.constantTimeEqual(derived, hash) && password.count <= CryptoLimits.maximumPasswordBytes
    }

    /// Equal length and bytes, looking at every byte.
    public static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<left.count { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    static func derive(password: [UInt8], salt: [UInt8], iterations: Int) throws(CryptoError) -> [UInt8] {
        guard password.count <= CryptoLimits.maximumPasswordBytes else { throw .malformed("password too long") }
        let context = UnsafeMutablePointer<mbedtls_md_context_t>.allocate(capacity: 1)
        mbedtls_md_init(context)
        defer {
            mbedtls_md_free(context)
            context.deallocate()
        }
        try check(mbedtls_md_setup(context, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1), "mbedtls_md_setup")
        var output = [UInt8](repeating: 0, count: CryptoLimits.passwordHashBytes)
        let code = password.withUnsafeBufferPointer { passwordBuffer in
            salt.withUnsafeBufferPointer { saltBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    mbedtls_pkcs5_pbkdf2_hmac(
                        context, passwordBuffer.baseAddress, passwordBuffer.count, saltBuffer.baseAddress,
                        saltBuffer.count, UInt32(iterations), UInt32(outputBuffer.count), outputBuffer.baseAddress)
                }
            }
        }
        try check(code, "mbedtls_pkcs5_pbkdf2_hmac")
        return output
    }

    static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9, digits.first != UInt8(ascii: "0") else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// Lowercase hex only, no spaces or prefix (the encoding is canonical).
    static func strictHex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        guard digits.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) })
        else { return nil }
        return Hex.decode(digits)
    }
}
