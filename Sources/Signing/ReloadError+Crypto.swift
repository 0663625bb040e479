import Crypto
import Reload

// Reload does not know the crypto library's errors; a signing failure keeps its description.
extension ReloadError {
    /// `.signingFailed` from the crypto library's error (the call shape of before Reload was a
    /// pure codec).
    public static func signingFailed(_ error: CryptoError) -> ReloadError {
        return .signingFailed(error.description)
    }
}
