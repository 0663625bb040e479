/// What an enrollment request came to.
public enum EnrollmentOutcome: Equatable {
    /// A DER certificate, and the ledger record the caller must persist (append
    /// `record.line` to the ledger file) before answering.
    case issued(certificate: [UInt8], record: IssuedCertificate)
    case refused(EnrollmentRefusal)
}
