import Foundation

/// A `p2psip testnet` or `p2psip demo` of real peers on loopback, started with `--detach` in a
/// temporary directory of its own, for the process tests and the benchmarks: its description
/// (NET/testnet.json or NET/demo.json), and `--down` at the end. Every wait is bounded.
/// P2PSIP_KEEP_TESTNET set: the directory stays for a look afterwards.
public final class DetachedOverlay: @unchecked Sendable {
    /// "testnet" or "demo".
    public let command: String
    public let basePort: Int
    /// NET/COMMAND.json, parsed.
    public let json: [String: Any]
    /// From the command's start to its return (CA, enrollments, joins), in seconds.
    public let startSeconds: Double
    let scratch: TemporaryDirectory

    /// `arguments`: the command's options besides --dir, --base-port and --detach. A command
    /// that fails or runs over `seconds` is taken down again (peers it started may be up), and
    /// the failure names its output. `environment` is added to the command's (and so its
    /// peers').
    public init(
        _ command: String, name: String, basePort: Int, _ arguments: [String], seconds: Double = 240, environment: [String: String] = [:]
    ) throws {
        self.command = command
        self.basePort = basePort
        scratch = try TemporaryDirectory(name)
        if ProcessInfo.processInfo.environment["P2PSIP_KEEP_TESTNET"] != nil { scratch.keep() }
        let net = scratch.file("net")
        let started = Date()
        do {
            let result = try Subprocess.run(
                BuiltProducts.p2psip, [command, "--dir", net.path, "--base-port", "\(basePort)", "--detach"] + arguments,
                in: scratch.url, environment: environment, seconds: seconds)
            guard result.status == 0 else {
                throw ProcessFailure("\(command) failed (\(result.status)): \(result.output.suffix(2000)) \(result.error.suffix(2000))")
            }
            let data = try Data(contentsOf: net.appendingPathComponent("\(command).json"))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ProcessFailure("\(command).json is not a JSON object")
            }
            json = object
        } catch {
            Self.takeDown(command, net, in: scratch.url)
            throw error
        }
        startSeconds = Date().timeIntervalSince(started)
    }

    /// The directory the overlay lives in (NET is its `net` folder).
    public var directory: URL { scratch.url }
    public var net: URL { scratch.file("net") }
    /// The `peers` entries of the description.
    public var peers: [[String: Any]] { json["peers"] as? [[String: Any]] ?? [] }

    /// Stops the peers it started (and its CA); `removing`: the directory too.
    public func down(removing: Bool = true) {
        Self.takeDown(command, net, in: directory)
        if removing { removeDirectory() }
    }

    /// Removes the directory (after a `down(removing: false)` and a look at the peers' files).
    public func removeDirectory() { scratch.remove() }

    /// `p2psip status --json` of the peer whose control socket is `control`, parsed; nil when
    /// it does not answer within `seconds`.
    public static func status(control: String, seconds: Double = 25) -> [String: Any]? {
        guard let result = try? Subprocess.run(BuiltProducts.p2psip, ["status", "--json", "--control", control], seconds: seconds),
            result.status == 0
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: result.data)) as? [String: Any]
    }

    static func takeDown(_ command: String, _ net: URL, in directory: URL) {
        _ = try? Subprocess.run(BuiltProducts.p2psip, [command, "--dir", net.path, "--down"], in: directory, seconds: 30)
    }
}
