/// Limits of the HTTP/1.1 codec, in one place (sized for the enrollment exchange of RFC 6940
/// §11.3: a form around a CSR, a certificate, a configuration document or a CRL in answer).
/// EnrollmentLimitsTests checks that the enrollment form fits them.
public enum HTTPLimits {
    // MARK: HTTP/1.1 messages (RFC 9112)

    /// Request line, "POST /enroll HTTP/1.1"; a longer one is answered 414.
    public static let maximumRequestLineBytes = 2048
    /// Header fields after the request line, CRLFs included; more is answered 431.
    public static let maximumHeaderSectionBytes = 8192
    public static let maximumHeaderFields = 32
    /// Request body; more is answered 413 (a CSR is under 2 KB, the form around it is small).
    public static let maximumBodyBytes = 64 * 1024

    // MARK: multipart/form-data (RFC 7578)

    public static let maximumFormParts = 8
    public static let maximumPartHeaderBytes = 1024
    public static let maximumPartHeaderFields = 8
    public static let maximumFormNameBytes = 64
    /// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
    public static let maximumBoundaryBytes = 70
}
