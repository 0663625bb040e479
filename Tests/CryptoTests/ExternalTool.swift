import Foundation

/// Runs a command-line tool (openssl) for interoperability checks: our crypto against an
/// implementation nobody here wrote.
enum ExternalTool {
    struct Output {
        var status: Int32
        var standardOutput: Data
        var standardError: String
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: data,
                      standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs and requires exit status 0.
    @discardableResult
    static func require(_ arguments: [String], in directory: URL) throws -> Data {
        let output = try run(arguments, in: directory)
        if output.status != 0 {
            throw ToolFailure(message: "\(arguments.joined(separator: " ")) exited \(output.status): \(output.standardError)")
        }
        return output.standardOutput
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("p2psip-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static var hasOpenSSL: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }
}
