import Config
import Platform
import Wire

/// `p2psip batch FILE|- [--in-flight N] [--control PATH]`: many storage requests through one
/// control connection, up to N under way at once (the peer's batch mode, ControlServer).
/// Each line of FILE is a storage command as typed after `p2psip`, without `--control`:
///
///     put alice@example.org USER-DATA --key phone 555-0100 --identity users/alice
///     get alice@example.org USER-DATA
///     remove alice@example.org USER-DATA --key phone --identity users/alice
///     send signed-request.hex
///
/// Words are separated by spaces (a value cannot hold one); blank lines and lines starting
/// with `#` are skipped. Requests signed with `--identity` are signed here, each identity
/// directory loaded once. Each request prints one line as it ends, in the order they end:
/// `LINE<TAB>STATUS<TAB>OUTPUT<TAB>OUTPUT...` (STATUS as the single command's exit status);
/// a summary goes to standard error. Exit status 0 when every request succeeded, 1 otherwise.
enum BatchCommand {
    static let usage = "batch FILE|- [--in-flight N] [--control PATH] [--config FILE|BOARD]"
    static let maximumInputBytes = 64 << 20
    static let maximumLines = 1_000_000
    static let defaultInFlight: Int64 = 8
    /// No answer for this long while requests are under way: the peer is stuck, give up.
    static let stallMilliseconds: UInt64 = 120_000
    static let verbs = ["put", "get", "remove", "stat", "find", "send"]

    struct Line {
        let number: Int
        let words: [String]
    }

    struct Outcome {
        var succeeded = 0
        var failed = 0
    }

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            let (given, rest) = StorageCommand.split(arguments)
            guard given.count == 1 else { throw .usage("batch takes one FILE (or - for standard input)") }
            let options = try CommandOptions.parse(rest, valued: ["--in-flight", "--control", "--config"])
            let inFlight = Int(try options.integer("--in-flight", in: 1...Int64(ControlServer.maximumBatchInFlight), default: defaultInFlight))
            var path = options.value("--control") ?? ""
            if path.isEmpty { path = try PeerSetup.board(options.value("--config")).controlSocketPath }
            let lines = try read(given[0])
            let started = Clock.monotonicNow()
            let outcome = try send(lines, path: path, inFlight: inFlight)
            let milliseconds = max(1, Clock.monotonicNow().milliseconds(since: started))
            Console.error("batch: \(lines.count) requests, \(outcome.succeeded) succeeded, \(outcome.failed) failed in \(milliseconds) ms "
                + "(\(UInt64(lines.count) * 1000 / milliseconds) per second, \(inFlight) in flight)")
            return outcome.failed == 0 ? 0 : 1
        } catch {
            return error.report("batch", usage: usage)
        }
    }

    static func read(_ path: String) throws(CommandFailure) -> [Line] {
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = path == "-"
                ? try FileSystem.readStandardInput(maximumBytes: maximumInputBytes)
                : try FileSystem.readFile(path, maximumBytes: maximumInputBytes)
        } catch {
            throw .failed("\(path): \(error.description)")
        }
        var lines: [Line] = []
        for (index, text) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { String($0) }
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            guard lines.count < maximumLines else { throw .usage("\(path): more than \(maximumLines) requests") }
            lines.append(Line(number: index + 1, words: words))
        }
        return lines
    }

    /// The control words of one line, or why it cannot be sent.
    static func prepare(_ line: Line, signer: inout ClientSigner) -> Result<[String], CommandFailure> {
        guard verbs.contains(line.words[0]) else { return .failure(.usage("'\(line.words[0])' is not one of \(verbs.joined(separator: ", "))")) }
        if line.words.contains("--control") || line.words.contains("--output") || line.words.contains("--config") {
            return .failure(.usage("--control, --config and --output apply to the whole batch, not a line"))
        }
        do throws(CommandFailure) {
            // The batch's connection is used; "-" only keeps the line from looking one up.
            let prepared = try StorageCommand.prepare(line.words[0], Array(line.words.dropFirst()) + ["--control", "-"], signer: &signer)
            return .success(prepared.words)
        } catch {
            return .failure(error)
        }
    }

    static func report(_ line: Int, _ status: Int32, _ text: String, _ outcome: inout Outcome) {
        Console.out("\(line)\t\(status)\t\(text)")
        if status == 0 { outcome.succeeded += 1 } else { outcome.failed += 1 }
    }
}
