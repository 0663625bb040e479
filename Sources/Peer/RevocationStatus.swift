import Crypto
import Wire

/// The revocation list part of `p2psip status`: the list in use (RFC 5280 §5.2.3 cRLNumber,
/// §5.1.2.4 thisUpdate, §5.1.2.5 nextUpdate), whether it is stale, and the fetches from the
/// enrollment server.
public struct RevocationStatus {
    var source: String?
    var number: String?
    var thisUpdate: CertificateTime?
    var nextUpdate: CertificateTime?
    var revoked: Int
    var stale: Bool
    var lastFetchAt: CertificateTime?
    var lastFetchResult: String?
    var nextFetchSeconds: UInt64?
    var fetches: Int
    var failures: Int
    var retries: Int

    var text: [String] {
        var lines = ["revocation list:"]
        if let thisUpdate {
            lines.append("  in use: number \(number ?? "none"), \(revoked) revoked, this update \(thisUpdate.description), "
                + "next update \(nextUpdate?.description ?? "none")\(stale ? ", STALE" : "")")
        } else {
            lines.append("  in use: none")
        }
        guard let source else {
            lines.append("  fetched from: nowhere (no enrollment server to ask)")
            return lines
        }
        lines.append("  fetched from: \(source), \(fetches) fetches, \(failures) failed, next in \(nextFetchSeconds ?? 0)s")
        if let lastFetchAt, let lastFetchResult { lines.append("  last fetch: \(lastFetchAt.description) \(lastFetchResult)") }
        return lines
    }

    /// "revocation_list": {"number", "this_update", "next_update", "revoked", "stale", "source",
    /// "last_fetch_at", "last_fetch_result", "next_fetch_seconds", "fetches", "fetch_failures",
    /// "retries"}; absent values are null.
    var json: JSONValue {
        let text = { (value: String?) -> JSONValue in value.map { .string($0) } ?? .null }
        let count = { (value: Int) -> JSONValue in .integer(Int64(value)) }
        return .object([
            .init("number", text(number)),
            .init("this_update", text(thisUpdate?.description)),
            .init("next_update", text(nextUpdate?.description)),
            .init("revoked", count(revoked)),
            .init("stale", .bool(stale)),
            .init("source", text(source)),
            .init("last_fetch_at", text(lastFetchAt?.description)),
            .init("last_fetch_result", text(lastFetchResult)),
            .init("next_fetch_seconds", nextFetchSeconds.map { .integer(Int64(clamping: $0)) } ?? .null),
            .init("fetches", count(fetches)),
            .init("fetch_failures", count(failures)),
            .init("retries", count(retries)),
        ])
    }
}
