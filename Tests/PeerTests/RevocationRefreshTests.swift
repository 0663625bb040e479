import Crypto
import Node
@testable import Peer
import Testing
import Wire

/// The revocation list's fetch schedule: at once at start, a jittered period after a good
/// fetch, 60 s doubling to 16 min (never past the period) after failures or with a stale list,
/// and what status says.
@Suite struct RevocationRefreshTests {
    static let start = NodeTime(monotonic: Instant(nanoseconds: 1_000_000_000), wall: WallTime(secondsSince1970: 1_780_000_000))
    static let hour: UInt64 = 3_600_000

    static func list(nextUpdate: CertificateTime) throws -> RevocationList {
        let random = try RandomGenerator(source: .fixed(Array(repeating: 7, count: 72)))
        let root = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: random), commonName: "root", serial: [1],
            notBefore: CertificateTime(year: 2025, month: 1, day: 1), notAfter: CertificateTime(year: 2030, month: 1, day: 1),
            using: random)
        return try RevocationList(der: RevocationList.create(
            issuer: root, revoked: [RevokedCertificate(serialNumber: [9], revocationDate: start.certificateTime)], number: 12,
            thisUpdate: CertificateTime(year: 2026, month: 1, day: 1), nextUpdate: nextUpdate, using: random))
    }

    @Test func scheduleAfterSuccessFailureAndStaleness() throws {
        var refresh = RevocationRefresh(source: "https://127.0.0.1:8443/crl", periodMilliseconds: Self.hour, now: Self.start.monotonic)
        #expect(refresh.isDue(Self.start.monotonic))
        // Jitter spans [0.75, 1.25] of the delay.
        #expect(refresh.fetched(.unchanged, now: Self.start, jitter: 0) == Self.hour * 3 / 4)
        #expect(refresh.fetched(.unchanged, now: Self.start, jitter: Self.hour / 2) == Self.hour * 5 / 4)
        #expect(!refresh.isDue(Self.start.monotonic.adding(milliseconds: Self.hour * 5 / 4 - 1)))
        #expect(refresh.isDue(Self.start.monotonic.adding(milliseconds: Self.hour * 5 / 4)))
        // Failures: 60 s, 120 s, ... up to 16 min, reset by a good fetch.
        var delays: [UInt64] = []
        for _ in 0..<7 { delays.append(refresh.fetched(.failed("refused"), now: Self.start, jitter: 15_000 << UInt64(min(delays.count, 4)))) }
        #expect(delays == [60_000, 120_000, 240_000, 480_000, 960_000, 960_000, 960_000])
        #expect(refresh.failures == 7 && refresh.retries == 7 && refresh.fetches == 9)
        #expect(refresh.fetched(.installed, now: Self.start, jitter: Self.hour / 4) == Self.hour)
        #expect(refresh.retries == 0)
        // A period shorter than the retry base: retries come after the period.
        var quick = RevocationRefresh(source: "https://127.0.0.1:8443/crl", periodMilliseconds: 5_000, now: Self.start.monotonic)
        #expect(quick.fetched(.failed("timed out"), now: Self.start, jitter: 1_250) == 5_000)
        // A stale list (nextUpdate passed) is retried sooner though the fetch succeeded.
        refresh.listInUse(try Self.list(nextUpdate: CertificateTime(year: 2026, month: 2, day: 1)))
        #expect(refresh.isStale(at: Self.start.certificateTime))
        #expect(refresh.fetched(.unchanged, now: Self.start, jitter: 15_000) == 60_000)
        #expect(refresh.retries == 1)
    }

    @Test func statusShowsTheListAndTheFetches() throws {
        var refresh = RevocationRefresh(source: "https://127.0.0.1:8443/crl", periodMilliseconds: Self.hour, now: Self.start.monotonic)
        refresh.listInUse(try Self.list(nextUpdate: CertificateTime(year: 2026, month: 2, day: 1)))
        refresh.fetched(.failed("connect to 127.0.0.1:8443: Connection refused"), now: Self.start, jitter: 15_000)
        let status = refresh.status(now: Self.start)
        #expect(status.json.serialized == #"{"number":"12","this_update":"2026-01-01T00:00:00Z","next_update":"2026-02-01T00:00:00Z","revoked":1,"stale":true,"source":"https://127.0.0.1:8443/crl","last_fetch_at":"2026-05-28T20:26:40Z","last_fetch_result":"failed: connect to 127.0.0.1:8443: Connection refused","next_fetch_seconds":60,"fetches":1,"fetch_failures":1,"retries":1}"#)
        #expect(status.text[1].hasSuffix("next update 2026-02-01T00:00:00Z, STALE"))
        let none = RevocationRefresh(source: nil, periodMilliseconds: Self.hour, now: Self.start.monotonic)
        #expect(!none.isDue(Self.start.monotonic))
        #expect(none.status(now: Self.start).text == ["revocation list:", "  in use: none", "  fetched from: nowhere (no enrollment server to ask)"])
    }
}
