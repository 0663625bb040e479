import Wire

/// The entries of a board configuration file checked against `BoardConfigSchema`: each known
/// key's value parsed to its type, defaults filled in, and the line of each key kept for
/// errors found later.
struct BoardConfigValues {
    enum Value {
        case integer(Int)
        case size(Int64)
        case word(String)
    }

    let fileName: String
    var values: [String: Value] = [:]
    var lines: [String: Int] = [:]
    var read: Set<String> = []

    init(entries: [KeyValueFile.Entry], fileName: String) throws(BoardConfigError) {
        self.fileName = fileName
        for entry in entries {
            guard let key = BoardConfigSchema.key(named: entry.key) else {
                throw BoardConfigError(.unknownKey, file: fileName, line: entry.line, key: entry.key,
                                  "unknown key (see `p2psip config keys`)")
            }
            values[key.name] = try BoardConfigValues.parse(entry.value, as: key.type, key: key.name, line: entry.line, fileName: fileName)
            lines[key.name] = entry.line
        }
        for key in BoardConfigSchema.keys where values[key.name] == nil {
            // Defaults are checked like file values, so a bad default fails every parse (and a test).
            values[key.name] = try BoardConfigValues.parse(key.defaultValue, as: key.type, key: key.name, line: 0, fileName: "(default)")
        }
    }

    mutating func integer(_ name: String) -> Int {
        read.insert(name)
        guard case .integer(let value)? = values[name] else { preconditionFailure("schema key \(name) is not an integer") }
        return value
    }

    mutating func size(_ name: String) -> Int64 {
        read.insert(name)
        guard case .size(let value)? = values[name] else { preconditionFailure("schema key \(name) is not a size") }
        return value
    }

    mutating func word(_ name: String) -> String {
        read.insert(name)
        guard case .word(let value)? = values[name] else { preconditionFailure("schema key \(name) is not a word") }
        return value
    }

    /// Every schema key must end up in BoardConfig: a key added to the schema and forgotten
    /// in BoardConfig.init is a bug caught by the first parse.
    func assertEveryKeyRead() {
        for key in BoardConfigSchema.keys {
            precondition(read.contains(key.name), "board config key \(key.name) is not used by BoardConfig")
        }
    }

    func error(_ reason: BoardConfigError.Reason, _ key: String, _ message: String) -> BoardConfigError {
        return BoardConfigError(reason, file: fileName, line: lines[key] ?? 0, key: key, message)
    }

    static func parse(
        _ text: String, as type: BoardConfigSchema.ValueType, key: String, line: Int, fileName: String
    ) throws(BoardConfigError) -> Value {
        func invalid(_ message: String) -> BoardConfigError {
            return BoardConfigError(.invalidValue, file: fileName, line: line, key: key, message)
        }
        switch type {
        case .integer(let range):
            guard let wide = decimal(Array(text.utf8)[...]), let number = Int(exactly: wide) else {
                throw invalid("'\(text)' is not a decimal integer")
            }
            guard range.contains(number) else { throw invalid("\(number) is outside \(range.lowerBound)...\(range.upperBound)") }
            return .integer(number)
        case .size(let range):
            guard let bytes = size(text) else { throw invalid("'\(text)' is not a size (e.g. 64M, 1G, 1048576)") }
            guard range.contains(bytes) else {
                throw invalid("\(text) is outside \(BoardConfigSchema.formatSize(range.lowerBound))...\(BoardConfigSchema.formatSize(range.upperBound))")
            }
            return .size(bytes)
        case .choice(let words):
            guard words.contains(text) else { throw invalid("'\(text)' is not \(BoardConfigSchema.describe(type))") }
            return .word(text)
        case .absolutePath(let maximumBytes):
            guard text.utf8.first == 0x2F else { throw invalid("'\(text)' is not an absolute path") }
            guard text.utf8.count <= maximumBytes else { throw invalid("path longer than \(maximumBytes) bytes") }
            return .word(text)
        }
    }

    /// Digits only, no sign, at most 15 of them (no overflow, also on 32-bit boards).
    static func decimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        DecimalDigits.value(digits, maximumDigits: 15)
    }

    /// "64M" -> 67108864; suffixes K, M, G, T are binary (KiB...TiB); "KiB" style accepted too.
    static func size(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        if bytes.count >= 3 && bytes.suffix(2) == [0x69, 0x42] { bytes = bytes.dropLast(2) }  // "iB"
        var shift: Int64 = 0
        switch bytes.last {
        case 0x4B?, 0x6B?: shift = 10  // K k
        case 0x4D?: shift = 20  // M
        case 0x47?: shift = 30  // G
        case 0x54?: shift = 40  // T
        default: break
        }
        if shift > 0 { bytes = bytes.dropLast() }
        guard let number = decimal(bytes), number <= (Int64(1) << 50) >> shift else { return nil }
        return number << shift
    }
}
