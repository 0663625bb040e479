import Foundation

/// Where the repository and the programs SwiftPM built are, for tests and benchmarks that run
/// them as child processes.
public enum BuiltProducts {
    /// The repository's root (this file is Tests/TestSupport/BuiltProducts.swift).
    public static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The executable product `name` of this build: SwiftPM puts every product of a build in
    /// one folder, so it is beside the running test bundle or benchmark (one level up from a
    /// bundle's inner folder). Where it is missing, the path where it was expected (running it
    /// then fails naming that path).
    ///
    /// Only the build makes it exist: `swift build` and `swift test` build every product; for
    /// the test bundle alone, the CommandLineTests target's dependency on `p2psip` does
    /// (Package.swift); a benchmark run with `swift run` has the products it runs as
    /// dependencies.
    public static func executable(_ name: String) -> URL {
        let running = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [running.appendingPathComponent(name), running.deletingLastPathComponent().appendingPathComponent(name)]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The p2psip command of this build.
    public static var p2psip: URL { executable("p2psip") }
}
