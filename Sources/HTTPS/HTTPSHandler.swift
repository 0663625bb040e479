import HTTP
import Platform

/// What an HTTPSServer asks of its owner (e.g. the enrollment server): answers, logging, reloading.
/// The server calls it on its single thread; the handler does no I/O on sockets.
public protocol HTTPSHandler: AnyObject {
    /// The answer to one parsed request, or to bytes that are not a request we serve
    /// (`.failure`), from `peer`, and a short note for the request's log line (e.g. the RFC
    /// 6940 §11.3 token of a refusal). Never called with `.needMore`.
    func answer(_ result: HTTPParseResult, from peer: SocketAddress) -> (response: HTTPResponse, note: String)
    /// SIGHUP: reload what can be reloaded (accounts, revocation list).
    func reload()
    /// Called about every HTTPSLimits.housekeepingIntervalMilliseconds (notice changed files).
    func housekeeping()
    /// One line for the log.
    func log(_ line: String)
}
