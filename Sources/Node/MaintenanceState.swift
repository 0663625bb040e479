import Chord
import Crypto
import Reload
import Wire

/// The periodic work of a joined peer on the ring (RFC 6940 §10.7.4).
struct MaintenanceState {
    /// §10.7.4.1: the next periodic Update to the neighbors.
    var nextUpdate: Instant?
    /// Reactive recovery: an Update to every link, coalescing the changes of one tick.
    var updateFlush: Instant?
    /// §10.7.4.2: the next finger refresh.
    var nextFingerRefresh: Instant?
    /// §10.7.1: the next look for silent neighbors.
    var nextLivenessCheck: Instant?

    /// Only a joined peer maintains the ring.
    func nextDeadline(phase: NodePhase) -> Instant? {
        guard phase == .joined else { return nil }
        return [nextUpdate, updateFlush, nextFingerRefresh, nextLivenessCheck].compactMap { $0 }.min()
    }
}
