/// Where the files of a certificate authority live (a directory on the server; memory in
/// tests). Enrollment decides what is read, checked, issued and written; the store only moves
/// bytes, so the CA logic runs without the platform's file system (the executable gives it
/// one over POSIX files).
public protocol CAFileStore {
    /// The store itself for messages (the directory).
    var location: String { get }
    /// The file's name for messages ("DIR/accounts").
    func path(_ name: String) -> String
    /// The whole file, at most `maximumBytes`; fails if it is missing or larger.
    func read(_ name: String, maximumBytes: Int) throws(CAError) -> [UInt8]
    /// Replaces the file atomically (readers see the old or the new one) with `mode`.
    func write(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError)
    /// Appends to the file and makes the bytes durable before returning (the ledger: a
    /// certificate the ledger does not know must never leave).
    func append(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError)
}

/// Why a certificate authority operation failed: one line naming the file or the refusal, as
/// the `ca` commands print it.
public struct CAError: Error, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
