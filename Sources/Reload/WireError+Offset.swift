import Wire

extension WireError {
    /// The same error with its byte offset moved by `delta`, for a structure that was decoded
    /// from a copy of part of a larger buffer (a message inside a frame).
    public func shifted(by delta: Int) -> WireError {
        switch self {
        case .truncated(let field, let offset, let needed, let available):
            return .truncated(field: field, offset: offset + delta, needed: needed, available: available)
        case .lengthOverLimit(let field, let offset, let length, let limit):
            return .lengthOverLimit(field: field, offset: offset + delta, length: length, limit: limit)
        case .countOverLimit(let field, let offset, let limit):
            return .countOverLimit(field: field, offset: offset + delta, limit: limit)
        case .invalidValue(let field, let offset, let value):
            return .invalidValue(field: field, offset: offset + delta, value: value)
        case .trailingBytes(let field, let offset, let count):
            return .trailingBytes(field: field, offset: offset + delta, count: count)
        case .valueTooLong:
            return self
        }
    }
}
