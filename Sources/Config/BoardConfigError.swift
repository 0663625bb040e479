/// Why a configuration file was refused. Every case names the file and line, and the key where
/// there is one, so that `p2psip config check` can point at the exact spot.
public struct BoardConfigError: Error, Equatable {
    public enum Reason: Equatable, Sendable {
        /// A line that is not `key = value`, a comment or blank.
        case syntax
        /// A key the schema does not know.
        case unknownKey
        /// The same key twice.
        case duplicateKey
        /// A value of the wrong type or outside its range.
        case invalidValue
        /// Two keys that contradict each other.
        case inconsistent
        /// The file is larger than `BoardConfigLimits.maximumFileBytes`, or has too many lines.
        case tooLarge
    }

    public var reason: Reason
    public var file: String
    public var line: Int
    public var key: String
    public var message: String

    public init(_ reason: Reason, file: String, line: Int, key: String, _ message: String) {
        self.reason = reason
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// "board-configs/x.conf:12: key 'fingers': 300 is outside 8...128"
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return key.isEmpty ? "\(place): \(message)" : "\(place): key '\(key)': \(message)"
    }
}
