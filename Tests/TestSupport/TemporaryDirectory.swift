import Foundation

/// A directory of its own under the system's temporary directory (PREFIX-UUID), removed by
/// `remove()` or with this object. As a stored property it lives as long as its owner (a test
/// fixture, a testnet). In a function, use `TemporaryDirectory.with` or `defer { remove() }`:
/// Swift may release a local after its last use, while the files in it are still needed.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    private var kept = false

    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A fresh directory for `body`, removed when it returns or throws.
    public static func with<Result>(_ prefix: String, _ body: (URL) throws -> Result) throws -> Result {
        let directory = try TemporaryDirectory(prefix)
        return try withExtendedLifetime(directory) { try body(directory.url) }
    }

    public var path: String { url.path }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Leaves the directory on disk, for a look after the run (P2PSIP_KEEP_TESTNET).
    public func keep() { kept = true }

    /// Removes the directory and everything in it, unless kept.
    public func remove() {
        if !kept { try? FileManager.default.removeItem(at: url) }
    }

    deinit { remove() }
}
