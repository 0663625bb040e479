import CMbedTLS

/// Why a cryptographic operation failed. mbedTLS failures keep mbedTLS's code and name the
/// operation, so a log line says what was being done when it failed.
public enum CryptoError: Error, Equatable {
    /// An mbedTLS call returned a negative code.
    case library(operation: String, code: Int32)
    /// The key is not of a kind we can use here (e.g. not ECDSA P-256 where that is required).
    case unsupportedKey(String)
    /// Input that cannot be a key, certificate, CSR or CRL.
    case malformed(String)
    /// An output buffer limit of ours was reached (a bug or an absurd input).
    case outputTooLarge(String)
    /// A signature that does not verify (a CSR's self-signature, a CRL's signature).
    case invalidSignature(String)
    /// An identity (certificate chain, Node-ID claim) the overlay must not accept.
    case rejected(IdentityRejection)
    /// A bounded search (proof of work, a unique random value) gave up at its limit.
    case searchExhausted(String)

    public var description: String {
        switch self {
        case .library(let operation, let code):
            return "\(operation) failed: \(MbedTLS.describe(code)) (-0x\(hexCode(code)))"
        case .unsupportedKey(let what):
            return "unsupported key: \(what)"
        case .malformed(let what):
            return "malformed input: \(what)"
        case .outputTooLarge(let what):
            return "output too large: \(what)"
        case .invalidSignature(let what):
            return "invalid signature: \(what)"
        case .rejected(let reason):
            return "identity rejected: \(reason.description)"
        case .searchExhausted(let what):
            return "search exhausted: \(what)"
        }
    }

    func hexCode(_ code: Int32) -> String {
        let magnitude = code < 0 ? UInt32(-Int64(code)) : UInt32(code)
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        var shift = 12
        while shift >= 0 {
            text.append(digits[Int((magnitude >> UInt32(shift)) & 0xF)])
            shift -= 4
        }
        return text
    }
}

/// Checks an mbedTLS return code: negative is an error.
@inline(__always)
func check(_ code: Int32, _ operation: String) throws(CryptoError) {
    if code < 0 { throw .library(operation: operation, code: code) }
}
