import Foundation
import Testing

/// Runs programs (p2psip, openssl, curl) with a time limit: every wait in these tests is bounded.
enum Tool {
    struct Output {
        var status: Int32
        var output: String
        var error: String
        var data: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The p2psip built next to this test bundle (the test target depends on it).
    static var p2psip: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("p2psip"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("p2psip"),
            root.appendingPathComponent(".build/debug/p2psip"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func exists(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }
    static var hasCurlAndOpenSSL: Bool { exists("/usr/bin/curl") && exists("/usr/bin/openssl") }

    /// Collects a pipe's bytes on a background queue (so a full pipe never blocks the child).
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = Data()

        func attach(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let chunk = handle.availableData
                lock.lock()
                buffer.append(chunk)
                lock.unlock()
            }
        }

        var data: Data {
            lock.lock()
            defer { lock.unlock() }
            return buffer
        }

        var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// Runs `executable` to its end, at most `seconds`; a run that takes longer is killed and
    /// reported as a failure.
    @discardableResult
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL, input: Data? = nil, seconds: Double = 60
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        let out = Collector(), err = Collector()
        out.attach(output)
        err.attach(error)
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try? inputPipe.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) ran over \(seconds) s")
        }
        process.waitUntilExit()
        // Let the handlers take what is left in the pipes.
        Thread.sleep(forTimeInterval: 0.02)
        output.fileHandleForReading.readabilityHandler = nil
        error.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let restError = error.fileHandleForReading.readDataToEndOfFile()
        var data = out.data
        data.append(rest)
        return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self),
                      error: err.text + String(decoding: restError, as: UTF8.self), data: data)
    }

    static func p2psip(_ arguments: [String], in directory: URL, seconds: Double = 60) throws -> Output {
        return try run(p2psip, arguments, in: directory, seconds: seconds)
    }

    /// /usr/bin/NAME
    static func system(_ name: String, _ arguments: [String], in directory: URL, input: Data? = nil, seconds: Double = 60) throws -> Output {
        return try run(URL(fileURLWithPath: "/usr/bin/" + name), arguments, in: directory, input: input, seconds: seconds)
    }

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Tool {
    /// Starts a long-running program (a server or a peer) with its output discarded; the
    /// caller terminates it.
    static func start(_ executable: URL, _ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
