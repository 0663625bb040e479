/// Why bytes from outside could not be read or written. Every case names the field (as the RFC
/// names it) and the byte offset where reading stopped, so a user can find the bad byte.
public enum WireError: Error, Equatable {
    /// Fewer bytes remain in the container than the field needs.
    case truncated(field: String, offset: Int, needed: Int, available: Int)
    /// A length field announces more bytes than a limit allows (RFC limit or ours).
    case lengthOverLimit(field: String, offset: Int, length: Int, limit: Int)
    /// A list holds more elements than its limit allows.
    case countOverLimit(field: String, offset: Int, limit: Int)
    /// A value outside the range the RFC allows (reserved, unknown enum, bad flag).
    case invalidValue(field: String, offset: Int, value: UInt64)
    /// A container was not consumed exactly by its contents.
    case trailingBytes(field: String, offset: Int, count: Int)
    /// A value is too large for the length field it is written under.
    case valueTooLong(field: String, length: Int, limit: Int)

    /// The field the error is about.
    public var field: String {
        switch self {
        case .truncated(let field, _, _, _), .lengthOverLimit(let field, _, _, _),
            .countOverLimit(let field, _, _), .invalidValue(let field, _, _),
            .trailingBytes(let field, _, _), .valueTooLong(let field, _, _):
            return field
        }
    }

    /// The byte offset where decoding stopped (0 for encoding errors).
    public var offset: Int {
        switch self {
        case .truncated(_, let offset, _, _), .lengthOverLimit(_, let offset, _, _),
            .countOverLimit(_, let offset, _), .invalidValue(_, let offset, _),
            .trailingBytes(_, let offset, _):
            return offset
        case .valueTooLong:
            return 0
        }
    }

    /// One line for logs and the command line.
    public var description: String {
        switch self {
        case .truncated(let field, let offset, let needed, let available):
            return "\(field) at byte \(offset): truncated (needs \(needed) bytes, \(available) left)"
        case .lengthOverLimit(let field, let offset, let length, let limit):
            return "\(field) at byte \(offset): length \(length) over limit \(limit)"
        case .countOverLimit(let field, let offset, let limit):
            return "\(field) at byte \(offset): more than \(limit) elements"
        case .invalidValue(let field, let offset, let value):
            return "\(field) at byte \(offset): invalid value \(value)"
        case .trailingBytes(let field, let offset, let count):
            return "\(field) at byte \(offset): \(count) bytes left over"
        case .valueTooLong(let field, let length, let limit):
            return "\(field): \(length) bytes do not fit a length field of at most \(limit)"
        }
    }
}
