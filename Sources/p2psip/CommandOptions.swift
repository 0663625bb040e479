import Platform

/// The options of one command: `--name VALUE` (some repeatable) and `--flag`, in any order.
/// Anything else is a usage error that names the option, so every command reports bad
/// arguments the same way (exit status 2).
struct CommandOptions {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: [String] = []

    /// Options a command line may hold (a bound on what we keep from argv).
    static let maximumOptions = 64

    static func parse(
        _ arguments: [String], valued: [String], repeatable: [String] = [], flags known: [String] = []
    ) throws(CommandFailure) -> CommandOptions {
        guard arguments.count <= 2 * maximumOptions else { throw .usage("more than \(maximumOptions) options") }
        var options = CommandOptions()
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            if known.contains(name) {
                guard !options.flags.contains(name) else { throw .usage("\(name) given twice") }
                options.flags.append(name)
                index += 1
                continue
            }
            guard valued.contains(name) || repeatable.contains(name) else {
                throw .usage(name.hasPrefix("-") ? "unknown option \(name)" : "unexpected argument '\(name)'")
            }
            guard index + 1 < arguments.count else { throw .usage("\(name) needs a value") }
            if !repeatable.contains(name), options.values[name] != nil { throw .usage("\(name) given twice") }
            options.values[name, default: []].append(arguments[index + 1])
            index += 2
        }
        return options
    }

    func value(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func required(_ name: String) throws(CommandFailure) -> String {
        guard let value = value(name), !value.isEmpty else { throw .usage("\(name) is required") }
        return value
    }

    /// A decimal integer option within `range`, or `defaultValue` when absent.
    func integer(_ name: String, in range: ClosedRange<Int64>, default defaultValue: Int64) throws(CommandFailure) -> Int64 {
        guard let text = value(name) else { return defaultValue }
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .usage("\(name) '\(text)' is not a decimal number")
        }
        let value = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        guard range.contains(value) else { throw .usage("\(name) \(value) outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }
}

/// How a command failed: a usage error (exit 2) or a failed operation (exit 1). The text names
/// the option, the file (and line), or the step that failed.
enum CommandFailure: Error, Equatable {
    case usage(String)
    case failed(String)

    var message: String {
        switch self {
        case .usage(let text), .failed(let text): return text
        }
    }

    /// Prints the failure for `command` ("ca init") and returns the exit status.
    func report(_ command: String, usage: String) -> Int32 {
        switch self {
        case .usage(let message):
            Console.error("p2psip \(command): \(message)")
            Console.error("usage: p2psip \(usage)")
            return 2
        case .failed(let message):
            Console.error("p2psip \(command): \(message)")
            return 1
        }
    }
}
