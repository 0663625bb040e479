/// Why enrollment input (a form, an accounts file, a ledger) was refused. HTTP requests and
/// enrollment refusals are results, not errors: see HTTPParseResult and EnrollmentRefusal.
public enum EnrollmentError: Error, Equatable {
    /// multipart/form-data that is malformed or over a limit (RFC 7578, RFC 2046 §5.1).
    case malformedForm(String)
    /// The accounts file, with the line (from 1) of the problem.
    case accountsFile(line: Int, reason: String)
    /// The issuance ledger, with the line (from 1) of the problem.
    case ledger(line: Int, reason: String)
    /// A value given by the operator (a user name, a count) that cannot be used.
    case invalidArgument(String)
    /// A certificate operation failed.
    case crypto(String)
    /// A configuration document or kind signature that is missing or does not verify
    /// (RFC 6940 §11.1: "Recipients MUST verify the signature prior to accepting").
    case signature(String)

    public var description: String {
        switch self {
        case .malformedForm(let what): return "malformed form: \(what)"
        case .accountsFile(let line, let reason): return "accounts file line \(line): \(reason)"
        case .ledger(let line, let reason): return "ledger line \(line): \(reason)"
        case .invalidArgument(let what): return "invalid argument: \(what)"
        case .crypto(let what): return "certificate operation failed: \(what)"
        case .signature(let what): return "signature: \(what)"
        }
    }
}
