import CPosix

/// What tells two versions of a file apart without reading it: device, inode, size and
/// modification time. A file replaced by `writeFileAtomically` gets a new inode; one appended to
/// grows; either way the stamp changes.
public struct FileChangeStamp: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public let sizeBytes: Int64
    public let modifiedSeconds: Int64
    public let modifiedNanoseconds: Int64
}

extension FileSystem {
    /// Appends `bytes` to the file at `path` (created with `mode` if missing) and fsyncs it
    /// before returning: an append-only log whose records must survive a crash (the enrollment
    /// server's ledger). O_APPEND puts each write at the end even with another writer (a
    /// `p2psip ca revoke` beside a running server).
    public static func append(_ path: String, _ bytes: [UInt8], mode: UInt32) throws(PlatformError) {
        let descriptor = try CString.with(path) { p2psip_open($0, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(mode)) }
        if descriptor < 0 { throw PlatformError.lastError("open \(path)") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if p2psip_errno() == EINTR { continue }
                throw PlatformError.lastError("write \(path)")
            }
            offset += count
        }
        if fsync(descriptor) != 0 { throw PlatformError.lastError("fsync \(path)") }
    }

    /// The file's change stamp, or nil when it cannot be examined (missing, no permission).
    public static func changeStamp(_ path: String) -> FileChangeStamp? {
        var information = stat()
        let result = (try? CString.with(path) { stat($0, &information) }) ?? -1
        guard result == 0 else { return nil }
        return FileChangeStamp(
            device: UInt64(truncatingIfNeeded: information.st_dev), inode: UInt64(truncatingIfNeeded: information.st_ino),
            sizeBytes: Int64(information.st_size), modifiedSeconds: Int64(information.st_mtim.tv_sec),
            modifiedNanoseconds: Int64(information.st_mtim.tv_nsec))
    }

    /// The permission bits of a file (e.g. 0o600), or nil when it cannot be examined.
    public static func permissions(_ path: String) -> UInt32? {
        var information = stat()
        let result = (try? CString.with(path) { stat($0, &information) }) ?? -1
        guard result == 0 else { return nil }
        return UInt32(information.st_mode) & 0o7777
    }
}
