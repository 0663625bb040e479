import Crypto
import Node
import Wire

/// When a peer fetches the revocation list from the enrollment server next, and what it
/// knows about the list in use, for `status`. Sans-I/O: the peer's loop asks `isDue`, performs
/// the fetch, installs what is newer, and reports the outcome here with the time and a random
/// number for the jitter.
///
/// RFC 6940 §13.3 leaves revocation to the deployment ("RELOAD does not itself provide a
/// revocation/status mechanism"); ours: the enrollment server of §11.1's enrollment-server
/// element serves its CRL at GET /crl, and every peer polls it. Polling bounds the time from a
/// revocation to its last peer: at most 1.25 periods plus one fetch's time limit.
public struct RevocationRefresh {
    public enum Outcome: Equatable {
        /// A newer list verified against the root and is now in use.
        case installed
        /// The server's list is the one in use.
        case unchanged
        /// No usable list: the reason (connect, TLS, HTTP status, parse, signature, older).
        case failed(String)

        var text: String {
            switch self {
            case .installed: return "installed"
            case .unchanged: return "unchanged"
            case .failed(let reason): return "failed: \(reason)"
            }
        }
    }

    /// After a failed fetch or with a stale list, the next try comes after this, doubled for
    /// each further failure up to `maximumRetryDoublings` (60 s ... 16 min), never later than
    /// the period.
    public static let retryBaseMilliseconds: UInt64 = 60_000
    public static let maximumRetryDoublings = 4

    /// The list's URL, or nil when the peer has no enrollment server to ask (self-signed
    /// overlays, no address for the server's name): then nothing is ever due.
    public let source: String?
    public let periodMilliseconds: UInt64
    public private(set) var nextFetch: Instant
    /// Failed fetches (or stale lists) in a row.
    public private(set) var retries = 0
    public private(set) var fetches = 0
    public private(set) var failures = 0
    var lastFetch: (at: WallTime, outcome: Outcome)? = nil
    var number: String? = nil
    var thisUpdate: CertificateTime? = nil
    var nextUpdate: CertificateTime? = nil
    var revokedCount = 0

    /// The first fetch is due at once (`now`): a peer started from an old crl.der learns the
    /// current one before anything else.
    public init(source: String?, periodMilliseconds: UInt64, now: Instant) {
        precondition(periodMilliseconds > 0)
        self.source = source
        self.periodMilliseconds = periodMilliseconds
        nextFetch = now
    }

    public func isDue(_ now: Instant) -> Bool {
        return source != nil && nextFetch <= now
    }

    /// The list the verifier uses now (after start, SIGHUP or a fetch).
    public mutating func listInUse(_ list: RevocationList?) {
        number = list?.numberText
        thisUpdate = list?.thisUpdate
        nextUpdate = list?.nextUpdate
        revokedCount = list?.revokedCertificates.count ?? 0
    }

    /// True when the list in use is past its nextUpdate (RFC 5280 §5.1.2.5): it still
    /// applies (more revocations never hurt), but a newer one should exist.
    public func isStale(at now: CertificateTime) -> Bool {
        guard let nextUpdate else { return false }
        return nextUpdate < now
    }

    /// Records a fetch's end (call `listInUse` first when one was installed) and schedules the
    /// next: a period after a good fetch, sooner after a failure or with a stale list, each
    /// delay scaled by a random factor in [0.75, 1.25] from `jitter` so that the peers of an
    /// overlay do not ask the server in step. Returns the delay in milliseconds.
    @discardableResult
    public mutating func fetched(_ outcome: Outcome, now: NodeTime, jitter: UInt64) -> UInt64 {
        fetches += 1
        lastFetch = (now.wall, outcome)
        var delay = periodMilliseconds
        if case .failed = outcome { failures += 1 }
        if case .failed = outcome {
            retries += 1
        } else if isStale(at: now.certificateTime) {
            retries += 1
        } else {
            retries = 0
        }
        if retries > 0 {
            let doublings = UInt64(min(retries - 1, RevocationRefresh.maximumRetryDoublings))
            delay = min(periodMilliseconds, RevocationRefresh.retryBaseMilliseconds << doublings)
        }
        let jittered = RevocationRefresh.jittered(delay, jitter)
        nextFetch = now.monotonic.adding(milliseconds: jittered)
        return jittered
    }

    /// `delay` times a factor in [0.75, 1.25].
    static func jittered(_ delay: UInt64, _ random: UInt64) -> UInt64 {
        let result = delay - delay / 4 + random % (delay / 2 + 1)
        assert(result >= delay - delay / 4 && result <= delay + delay / 4)
        return max(1, result)
    }

    public func status(now: NodeTime) -> RevocationStatus {
        return RevocationStatus(
            source: source, number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, revoked: revokedCount,
            stale: isStale(at: now.certificateTime), lastFetchAt: lastFetch?.at.civilTime, lastFetchResult: lastFetch?.outcome.text,
            nextFetchSeconds: source == nil ? nil : now.monotonic.millisecondsUntil(nextFetch) / 1000,
            fetches: fetches, failures: failures, retries: retries)
    }
}
