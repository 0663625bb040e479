import Config
import Platform

/// Argument parsing and dispatch: wiring only, the work is done in the modules.
/// Exit status: 0 success, 1 failure of the operation, 2 usage or configuration error.
enum CommandLineInterface {
    static let usage = """
        usage: p2psip COMMAND [OPTIONS]

        Commands:
          selftest [--board-configs DIR]   known-answer tests of crypto, storage, sockets, event
                                           loop and board configs; one line per check
          version                          version, target triple, mbedTLS and LMDB versions
          config check FILE                validate a board configuration (exit 2 on an error,
                                           naming file, line and key)
          config keys                      every board configuration key: type, range, default
          config show NAME                 print a built-in board configuration
          help, --help                     this text

        Exit status: 0 success, 1 failure, 2 usage or configuration error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let words = Array(arguments.dropFirst())
        guard let command = words.first else {
            Console.error(usage)
            return 2
        }
        let rest = Array(words.dropFirst())
        switch command {
        case "help", "--help", "-h":
            Console.out(usage)
            return 0
        case "version", "--version":
            for line in BuildInfo.lines { Console.out(line) }
            return 0
        case "selftest":
            return SelftestCommand.run(rest)
        case "config":
            return ConfigCommand.run(rest)
        default:
            Console.error("p2psip: unknown command '\(command)' (see p2psip --help)")
            return 2
        }
    }
}
