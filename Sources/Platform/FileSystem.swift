import CPosix

/// Files and directories, with bounds on everything read.
public enum FileSystem {
    /// Reads a whole file of at most `maximumBytes` bytes.
    public static func readFile(_ path: String, maximumBytes: Int) throws(PlatformError) -> [UInt8] {
        let descriptor = try CString.with(path) { p2psip_open($0, O_RDONLY | O_CLOEXEC, 0) }
        if descriptor < 0 { throw PlatformError.lastError("open \(path)") }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if p2psip_errno() == EINTR { continue }
                throw PlatformError.lastError("read \(path)")
            }
            if count == 0 { return contents }
            if contents.count + count > maximumBytes { throw .fileTooLarge(path: path, limit: maximumBytes) }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Reads standard input to its end (at most `maximumBytes`).
    public static func readStandardInput(maximumBytes: Int) throws(PlatformError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if p2psip_errno() == EINTR { continue }
                throw PlatformError.lastError("read standard input")
            }
            if count == 0 { return contents }
            if contents.count + count > maximumBytes { throw .fileTooLarge(path: "(standard input)", limit: maximumBytes) }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes a file so that readers see the old or the new contents, never a part: write a
    /// temporary file with `mode`, fsync it, rename it over `path`, fsync the directory.
    public static func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws(PlatformError) {
        let temporary = path + ".tmp"
        let descriptor = try CString.with(temporary) { p2psip_open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        if descriptor < 0 { throw PlatformError.lastError("open \(temporary)") }
        var failure: PlatformError? = nil
        // open() applies the umask; the mode we were asked for is what we want (keys: 0600).
        if fchmod(descriptor, mode_t(mode)) != 0 { failure = PlatformError.lastError("fchmod \(temporary)") }
        var offset = 0
        while failure == nil && offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if p2psip_errno() == EINTR { continue }
                failure = PlatformError.lastError("write \(temporary)")
            } else {
                offset += count
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = PlatformError.lastError("fsync \(temporary)") }
        close(descriptor)
        if let failure {
            _ = try? CString.with(temporary) { unlink($0) }
            throw failure
        }
        let renamed = try CString.with(temporary) { from in (try? CString.with(path) { rename(from, $0) }) ?? -1 }
        if renamed != 0 { throw PlatformError.lastError("rename \(temporary) to \(path)") }
        syncDirectory(containing: path)
    }

    static func syncDirectory(containing path: String) {
        let directory = parentDirectory(of: path)
        guard let descriptor = try? CString.with(directory, { p2psip_open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) }),
            descriptor >= 0
        else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    public static func parentDirectory(of path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: 0x2F) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[0..<slash], as: UTF8.self)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var information = stat()
        let result = (try? CString.with(path) { stat($0, &information) }) ?? -1
        return result == 0 && p2psip_is_directory_mode(information.st_mode) != 0
    }

    /// True for a Unix socket (lstat: a symbolic link is not followed).
    public static func isSocket(_ path: String) -> Bool {
        var information = stat()
        let result = (try? CString.with(path) { lstat($0, &information) }) ?? -1
        return result == 0 && p2psip_is_socket_mode(information.st_mode) != 0
    }

    public static func exists(_ path: String) -> Bool {
        return ((try? CString.with(path) { access($0, F_OK) }) ?? -1) == 0
    }

    /// Creates a directory with `mode`, and its missing parents if asked. An existing
    /// directory is fine; an existing non-directory is an error.
    public static func makeDirectory(_ path: String, mode: UInt32, createParents: Bool) throws(PlatformError) {
        if isDirectory(path) { return }
        if createParents {
            let parent = parentDirectory(of: path)
            if parent != path && parent != "." && parent != "/" && !isDirectory(parent) {
                try makeDirectory(parent, mode: mode, createParents: true)
            }
        }
        let result = try CString.with(path) { mkdir($0, mode_t(mode)) }
        if result != 0 && !(p2psip_errno() == EEXIST && isDirectory(path)) {
            throw PlatformError.lastError("mkdir \(path)")
        }
    }

    /// Makes sure a peer's data directory exists and is private: created with mode 0700 (and
    /// missing parents) if absent; refused with a message naming the reason when it is not a
    /// directory or cannot be created.
    public static func prepareDataDirectory(_ path: String) throws(PlatformError) {
        guard path.utf8.first == 0x2F else { throw .invalidPath(path) }
        if exists(path) && !isDirectory(path) {
            throw .system(call: "data directory \(path) exists and is not a directory", errno: ENOTDIR)
        }
        try makeDirectory(path, mode: 0o700, createParents: true)
        let writable = (try? CString.with(path) { access($0, W_OK | X_OK) }) ?? -1
        if writable != 0 { throw PlatformError.lastError("data directory \(path) is not writable") }
    }

    public enum DataDirectoryState: Equatable, Sendable {
        case ready
        case missing
        case notADirectory
        case notWritable
    }

    /// What `prepareDataDirectory` would find, without changing anything.
    public static func dataDirectoryState(_ path: String) -> DataDirectoryState {
        if !exists(path) { return .missing }
        if !isDirectory(path) { return .notADirectory }
        let writable = (try? CString.with(path) { access($0, W_OK | X_OK) }) ?? -1
        return writable == 0 ? .ready : .notWritable
    }

    /// A new private directory (mode 0700) under $TMPDIR or /tmp.
    public static func makeTemporaryDirectory(prefix: String) throws(PlatformError) -> String {
        let base = ProcessControl.environment("TMPDIR") ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8).map { CChar(bitPattern: $0) }
        template.append(0)
        let result: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        if result == nil { throw PlatformError.lastError("mkdtemp \(base)/\(prefix).XXXXXX") }
        return template.withUnsafeBufferPointer { CString.string($0.baseAddress!) }
    }

    /// The names in a directory (without "." and ".."), at most `maximumEntries`.
    public static func listDirectory(_ path: String, maximumEntries: Int) throws(PlatformError) -> [String] {
        guard let directory = try CString.with(path, { opendir($0) }) else {
            throw PlatformError.lastError("opendir \(path)")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { CString.string($0) }
            }
            if name == "." || name == ".." { continue }
            if names.count == maximumEntries { throw .limitReached("entries in \(path) (\(maximumEntries))") }
            names.append(name)
        }
        return names
    }

    /// Removes a file, or a directory and everything in it (at most `maximumDepth` levels and
    /// `maximumEntries` names per directory). Does not follow symbolic links.
    public static func removeTree(_ path: String, maximumDepth: Int = 16, maximumEntries: Int = 100_000) throws(PlatformError) {
        var information = stat()
        if (try CString.with(path) { lstat($0, &information) }) != 0 {
            if p2psip_errno() == ENOENT { return }
            throw PlatformError.lastError("lstat \(path)")
        }
        if p2psip_is_directory_mode(information.st_mode) != 0 {
            guard maximumDepth > 0 else { throw .limitReached("directory depth under \(path)") }
            for name in try listDirectory(path, maximumEntries: maximumEntries) {
                try removeTree(path + "/" + name, maximumDepth: maximumDepth - 1, maximumEntries: maximumEntries)
            }
            if (try CString.with(path) { rmdir($0) }) != 0 { throw PlatformError.lastError("rmdir \(path)") }
        } else if (try CString.with(path) { unlink($0) }) != 0 {
            throw PlatformError.lastError("unlink \(path)")
        }
    }
}
