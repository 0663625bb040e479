/// Limits of the HTTPS module in one place. The request-side limits (request line,
/// header section, 64 KiB body) are HTTPLimits', enforced by HTTPRequestParser.
public enum HTTPSLimits {
    /// Connections the server holds at once unless told otherwise, and the most it may be told.
    public static let defaultMaximumConnections = 64
    public static let maximumConnectionsRange = 1...1024
    /// Time one connection may take from accept to its last byte (TLS handshake, request,
    /// answer): stalled handshakes and slow requests are closed when it runs out.
    public static let defaultConnectionTimeLimitMilliseconds: UInt64 = 10_000
    public static let connectionTimeLimitRange: ClosedRange<UInt64> = 100...600_000
    /// At capacity, a new connection may push out the oldest unanswered one only if that one is
    /// at least this old: honest clients finish a handshake and a request in far less, so the
    /// slots an idle flood holds are recycled while honest exchanges in progress are not.
    public static let evictionMinimumAgeMilliseconds: UInt64 = 1_000
    /// Connections accepted in one wake-up of the loop (the rest wait in the kernel backlog).
    static let acceptsPerWakeup = 64
    /// Reads of one connection in one wake-up, so one busy client does not starve the others.
    static let readsPerWakeup = 4
    /// Bytes read from a socket at once.
    static let readChunkBytes = 16_384
    /// Ciphertext waiting for a client that does not read: the largest answer (a 512 KiB CRL)
    /// plus record overhead fits; a client that lets more pile up is closed.
    static let maximumPendingOutboundBytes = 1_048_576
    /// Bytes read and thrown away after the answer (an oversized body the client is still
    /// sending) before the connection is closed anyway.
    static let maximumDiscardedBytes = 256 * 1024
    /// listen(2) backlog.
    public static let listenBacklog: Int32 = 128
    /// How often the server's handler gets a housekeeping call (reloading changed files).
    public static let housekeepingIntervalMilliseconds: UInt64 = 1_000
    /// The longest response a client reads (the CRL and the configuration document are the
    /// largest answers).
    public static let maximumResponseBodyBytes = 1_048_576
}
