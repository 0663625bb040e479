import Config
import Platform

/// `p2psip config check FILE | keys | show NAME`.
enum ConfigCommand {
    static func run(_ arguments: [String]) -> Int32 {
        switch arguments.first {
        case "check":
            guard arguments.count == 2 else { return usageError("config check FILE") }
            return check(path: arguments[1])
        case "keys":
            guard arguments.count == 1 else { return usageError("config keys") }
            printKeys()
            return 0
        case "show":
            guard arguments.count == 2 else { return usageError("config show NAME") }
            for board in BuiltinBoardConfigs.all where board.name == arguments[1] {
                Console.write(board.text, to: 1)
                return 0
            }
            Console.error("p2psip config show: no built-in board '\(arguments[1])'; known: \(boardNames())")
            return 2
        default:
            return usageError("config check FILE | config keys | config show NAME")
        }
    }

    static func check(path: String) -> Int32 {
        let text: [UInt8]
        do {
            text = try FileSystem.readFile(path, maximumBytes: KeyValueFile.maximumFileBytes)
        } catch {
            Console.error("p2psip config check: \(error.description)")
            return 2
        }
        switch BoardConfig.parse(text, fileName: path) {
        case .success(let config):
            Console.out("\(path): ok (target \(config.target), \(config.fingers) fingers, \(config.successors) successors, \(config.predecessors) predecessors, replication \(config.replicationFactor), LMDB map \(BoardConfigSchema.formatSize(config.lmdbMapSizeBytes)))")
            return reportDataDirectory(config.dataDirectory, file: path)
        case .failure(let error):
            Console.error(error.description)
            return 2
        }
    }

    /// The data directory is checked here too, so that a peer does not find out at start.
    static func reportDataDirectory(_ directory: String, file: String) -> Int32 {
        switch FileSystem.dataDirectoryState(directory) {
        case .ready:
            Console.out("data-dir \(directory): exists and is writable")
            return 0
        case .missing:
            Console.out("data-dir \(directory): missing; the peer creates it (mode 0700) when it starts")
            return 0
        case .notADirectory:
            Console.error("\(file): key 'data-dir': \(directory) exists and is not a directory")
            return 2
        case .notWritable:
            Console.error("\(file): key 'data-dir': \(directory) is not writable by this user")
            return 2
        }
    }

    static func printKeys() {
        for key in BoardConfigSchema.keys {
            Console.out("\(key.name)")
            Console.out("    \(BoardConfigSchema.describe(key.type)); default \(key.defaultValue)")
            Console.out("    \(key.meaning)")
        }
    }

    static func boardNames() -> String {
        var names = ""
        for board in BuiltinBoardConfigs.all {
            names += names.isEmpty ? board.name : ", \(board.name)"
        }
        return names
    }

    static func usageError(_ expected: String) -> Int32 {
        Console.error("usage: p2psip \(expected)")
        return 2
    }
}
