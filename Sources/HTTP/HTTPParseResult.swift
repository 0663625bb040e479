/// What feeding bytes to an HTTPRequestParser gave.
public enum HTTPParseResult: Equatable {
    /// The request is not complete yet: feed more bytes.
    case needMore
    /// A complete request; `consumed` bytes of everything fed belong to it (the rest would be a
    /// pipelined request, which the server does not serve: it closes after one answer).
    case request(HTTPRequest, consumed: Int)
    /// The bytes cannot be a request we serve: answer `status` and close. `reason` is for logs.
    case failure(HTTPStatus, reason: String)
}
