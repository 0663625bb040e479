/// What a part of the node reports besides its decisions, for the node to pass on: a line
/// for the log, or an item dropped because a bounded table was full (counted in
/// `NodeCounters.droppedOverLimit`).
enum Note: Equatable {
    case log(LogLevel, String)
    case overLimit
    /// An Attach or AppAttach asked us to connect where the ConnectPolicy refuses.
    case connectRefused(ConnectPolicy.Refusal)
    /// A link or message of a banned node refused (Misbehaviour).
    case banned
}
