import Wire

/// Why a RELOAD message was not accepted or could not be signed. Structural problems keep the
/// `WireError` that names the field (the RFC's name) and the byte offset; the conditions for
/// which the RFC prescribes a specific answer have their own cases, so that the node can send
/// that answer (`errorCode`).
public enum ReloadError: Error, Equatable, Sendable {
    /// The bytes do not follow the RFC's structure: truncated, a length over its container or a
    /// limit, an invalid or reserved value, trailing bytes. §6.3.1.1: discard without answer.
    case malformed(WireError)
    /// §6.6: the message is larger than max-message-size → Error_Message_Too_Large.
    case messageTooLarge(length: Int, limit: Int)
    /// §6.3.2.3: a critical forwarding option this node does not understand →
    /// Error_Unsupported_Forwarding_Option.
    case unsupportedForwardingOption(type: UInt8, offset: Int)
    /// §6.3.3: a critical extension this node does not understand → Error_Unknown_Extension.
    case unknownExtension(type: UInt16, offset: Int)
    /// §6.3.4: a signature algorithm we do not verify (we verify ECDSA and RSASSA-PKCS1-v1_5,
    /// both with SHA-256), or a key that does not fit the algorithm.
    case unsupportedSignatureAlgorithm(hash: UInt8, signature: UInt8)
    /// §6.3.4: the signature does not verify. The message MUST NOT be processed.
    case invalidSignature
    /// §6.3.4: no certificate in the security block matches the signer identity.
    case signerCertificateMissing
    /// Signing failed in the crypto library (a bug or an unusable key): the library's
    /// description of the failure (Signing makes it from a CryptoError).
    case signingFailed(String)

    /// The answer RFC 6940 prescribes for this condition, if any (nil: drop silently).
    public var errorCode: ErrorCode? {
        switch self {
        case .messageTooLarge: return .messageTooLarge
        case .unsupportedForwardingOption: return .unsupportedForwardingOption
        case .unknownExtension: return .unknownExtension
        case .malformed, .unsupportedSignatureAlgorithm, .invalidSignature, .signerCertificateMissing,
            .signingFailed:
            return nil
        }
    }

    /// One line for logs and `p2psip decode`, naming the field and the byte offset.
    public var description: String {
        switch self {
        case .malformed(let wire):
            return wire.description
        case .messageTooLarge(let length, let limit):
            return "ForwardingHeader.length at byte 16: message of \(length) bytes over max-message-size \(limit)"
        case .unsupportedForwardingOption(let type, let offset):
            return "ForwardingOption.type at byte \(offset): critical option \(type) not understood"
        case .unknownExtension(let type, let offset):
            return "MessageExtension.type at byte \(offset): critical extension \(type) not understood"
        case .unsupportedSignatureAlgorithm(let hash, let signature):
            return "Signature.algorithm: hash \(hash) with signature \(signature) not supported"
        case .invalidSignature:
            return "Signature.signature_value: does not verify"
        case .signerCertificateMissing:
            return "Signature.identity: no certificate matches the signer identity"
        case .signingFailed(let reason):
            return "signing failed: \(reason)"
        }
    }

    /// The same error with byte offsets moved by `delta` (for a message inside a frame).
    public func shifted(by delta: Int) -> ReloadError {
        switch self {
        case .malformed(let wire): return .malformed(wire.shifted(by: delta))
        case .unsupportedForwardingOption(let type, let offset):
            return .unsupportedForwardingOption(type: type, offset: offset + delta)
        case .unknownExtension(let type, let offset): return .unknownExtension(type: type, offset: offset + delta)
        default: return self
        }
    }
}
