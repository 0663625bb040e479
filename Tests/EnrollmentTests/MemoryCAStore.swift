import Enrollment

/// A CA directory in memory, for the CA logic's tests: what was written with which mode, and
/// failures on demand (a full disk under the ledger).
final class MemoryCAStore: CAFileStore {
    var files: [String: [UInt8]] = [:]
    var modes: [String: UInt32] = [:]
    var failAppends = false

    var location: String { "mem" }

    func path(_ name: String) -> String { "mem/" + name }

    func read(_ name: String, maximumBytes: Int) throws(CAError) -> [UInt8] {
        guard let bytes = files[name] else { throw CAError("mem/\(name): no such file") }
        guard bytes.count <= maximumBytes else { throw CAError("mem/\(name): over \(maximumBytes) bytes") }
        return bytes
    }

    func write(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError) {
        files[name] = bytes
        modes[name] = mode
    }

    func append(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError) {
        if failAppends { throw CAError("mem/\(name): no space left on device") }
        files[name, default: []] += bytes
        modes[name] = modes[name] ?? mode
    }
}
