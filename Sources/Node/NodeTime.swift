import Chord
import Crypto
import Reload
import Wire

/// The time as the Node sees it, both clocks read at once: passed in with every call (the
/// Node reads no clock).
public struct NodeTime: Sendable {
    /// Monotonic: deadlines and timeouts.
    public var monotonic: Instant
    /// The wall clock: PingAns time, storage_time, stored values' expiry, certificate validity.
    public var wall: WallTime

    public init(monotonic: Instant, wall: WallTime) {
        self.monotonic = monotonic
        self.wall = wall
    }

    public var certificateTime: CertificateTime { wall.civilTime }

    /// Both clocks `milliseconds` later.
    public func adding(milliseconds: UInt64) -> NodeTime {
        NodeTime(monotonic: monotonic.adding(milliseconds: milliseconds), wall: wall.adding(milliseconds: Int64(clamping: milliseconds)))
    }
}
