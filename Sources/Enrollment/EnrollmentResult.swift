import Crypto

/// What an enrollment attempt came to, on the client side.
public enum EnrollmentResult {
    /// A certificate for our key that chains to a root-cert of the configuration, with
    /// well-formed Node-IDs and user name (RFC 6940 §11.3).
    case enrolled(certificate: Certificate, identity: VerifiedIdentity)
    /// The server refused: its status and text/plain token (failed_authentication,
    /// username_not_available, Node-IDs_not_available, bad_CSR, or another one, which §11.3 says
    /// to treat as a failure for an unknown reason).
    case refused(status: Int, token: String)
    /// The answer cannot be used (not a certificate, not for our key, not chaining to a root).
    case invalid(String)
}
