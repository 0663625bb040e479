import Crypto
import HTTP
import HTTPS
import Node
import Peer
import Platform
import Wire

/// The revocation list from the enrollment server, on the peer's own loop: at start and then
/// every crl-refresh-seconds (RevocationRefresh has the schedule), one HTTPS exchange whose
/// socket sits in the loop beside the overlay's, so nothing blocks, and which ends by its
/// time limit at the latest. A list that verifies against a root and is newer than the one
/// in use is installed, written to DIR/crl.der for the next start, and every link whose
/// certificate it now refuses is closed (RFC 6940 §13.3 leaves revocation to us; RFC 5280
/// §5.2.3 orders the lists).
extension Peer {
    static let revocationToken = 4

    /// From the loop, every turn: ends a fetch past its time limit, starts one when due.
    func refreshRevocationList(now: NodeTime) {
        if let fetch = revocationFetch {
            if let error = fetch.expire(now: now.monotonic) { finishRevocationFetch(.failed(error.description), now: now) }
            return
        }
        guard let source = setup.revocationSource, core.revocation?.isDue(now.monotonic) == true else { return }
        do throws(HTTPSError) {
            let fetch = try HTTPSClient(
                source.request, to: source.address, serverName: source.serverName, configuration: source.tls,
                timeLimitMilliseconds: PeerRevocationSource.fetchTimeLimitMilliseconds,
                maximumResponseBodyBytes: PeerRevocationSource.maximumResponseBytes, loop: loop, token: Peer.revocationToken)
            try fetch.start()
            revocationFetch = fetch
            log(.debug, "revocation list: fetching \(source.url)")
        } catch {
            finishRevocationFetch(.failed(error.description), now: now)
        }
    }

    /// An event of the fetch's socket.
    func revocationEvent(_ event: EventLoop<Int>.Event) {
        guard let fetch = revocationFetch else { return }
        let now = Peer.time()
        switch fetch.service(event) {
        case .inProgress: return
        case .failed(let error): finishRevocationFetch(.failed(error.description), now: now)
        case .answered(let answer): finishRevocationFetch(install(answer.response, now: now), now: now)
        }
    }

    /// Checks the answer and installs a newer list: parse (bounded), newer than ours (a lower
    /// number must not un-revoke anyone), signed by a root, then DIR/crl.der (atomically) and
    /// the links.
    func install(_ response: HTTPClientResponse, now: NodeTime) -> RevocationRefresh.Outcome {
        guard response.status == 200 else { return .failed("the server answered \(response.status)") }
        let list: RevocationList
        do throws(CryptoError) {
            list = try RevocationList(der: response.body)
        } catch {
            return .failed("not a CRL: \(error.description)")
        }
        if let current = setup.verifier.revocationList {
            let order = list.sequenceOrder(comparedWith: current)
            if order == 0 { return .unchanged }
            if order < 0 { return .failed("the server's list (number \(list.numberText ?? "none")) is older than ours (\(current.numberText ?? "none"))") }
        }
        do throws(CryptoError) {
            try setup.verifier.setRevocationList(list)
        } catch {
            return .failed(error.description)
        }
        let file = setup.identityPath + "/" + PeerSetup.revocationListFile
        do throws(PlatformError) {
            try FileSystem.writeFileAtomically(file, list.der, mode: 0o644)
        } catch {
            log(.warn, "revocation list: installed but not saved to \(file): \(error.description)")
        }
        core.revocation?.listInUse(list)
        log(.info, "revocation list \(list.numberText ?? "without number") installed (\(list.revokedCertificates.count) revoked, "
            + "this update \(list.thisUpdate.description))")
        perform(core.identitiesChanged(now: now))
        return .installed
    }

    func finishRevocationFetch(_ outcome: RevocationRefresh.Outcome, now: NodeTime) {
        revocationFetch?.close()
        revocationFetch = nil
        var jitter: UInt64 = 0
        if let bytes = try? random.bytes(8) { jitter = bytes.reduce(0) { $0 << 8 | UInt64($1) } }
        guard var refresh = core.revocation else { return }
        let delay = refresh.fetched(outcome, now: now, jitter: jitter)
        core.revocation = refresh
        let source = setup.revocationSource?.url ?? "?"
        if case .failed(let reason) = outcome {
            log(.warn, "revocation list: fetch from \(source) failed: \(reason); next try in \(delay / 1000) s")
        } else if refresh.isStale(at: now.certificateTime) {
            log(.warn, "revocation list: the list in use is stale (its nextUpdate has passed) and \(source) has no newer one; "
                + "next try in \(delay / 1000) s")
        } else {
            log(.debug, "revocation list: \(outcome == .installed ? "installed" : "unchanged"); next fetch in \(delay / 1000) s")
        }
    }
}
