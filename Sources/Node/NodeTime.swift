import Chord
import Crypto
import Reload
import Wire

/// The time as the Node sees it: passed in with every call (the Node reads no clock).
public struct NodeTime: Sendable {
    /// Monotonic: deadlines and timeouts.
    public var monotonic: Instant
    /// Wall clock, milliseconds since 1970 UTC: PingAns time, storage_time, certificate
    /// validity.
    public var wallMilliseconds: UInt64

    public init(monotonic: Instant, wallMilliseconds: UInt64) {
        self.monotonic = monotonic
        self.wallMilliseconds = wallMilliseconds
    }

    public var certificateTime: CertificateTime {
        CertificateTime(unixSeconds: Int64(wallMilliseconds / 1000))
    }

    public func adding(milliseconds: UInt64) -> NodeTime {
        NodeTime(monotonic: monotonic.adding(milliseconds: milliseconds), wallMilliseconds: wallMilliseconds + milliseconds)
    }
}
