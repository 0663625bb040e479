import Wire

/// Collects the "field: value" lines of a protocol-analyser view, indented by nesting.
public struct DescriptionWriter {
    public private(set) var lines: [String] = []
    var depth = 0

    public init() {}

    var indent: String { String(repeating: "  ", count: depth) }

    public mutating func field(_ name: String, _ value: String) {
        lines.append(indent + name + ": " + value)
    }

    public mutating func field<T: BinaryInteger>(_ name: String, _ value: T) {
        field(name, String(value))
    }

    /// Starts a nested structure; end it with `close()`.
    public mutating func open(_ name: String) {
        lines.append(indent + name + ":")
        depth += 1
    }

    public mutating func close() {
        precondition(depth > 0, "close() without open()")
        depth -= 1
    }

    /// "0x" and `digits` lowercase hex digits.
    public static func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
        var text = String(value, radix: 16)
        while text.count < digits { text = "0" + text }
        return "0x" + text
    }

    /// Opaque bytes: hex, their count and, when every byte is printable ASCII, the text.
    public static func opaque(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "(empty)" }
        var text = Hex.encode(bytes) + " (\(bytes.count) bytes"
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            text += ", \"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return text + ")"
    }

    public static func boolean(_ value: Bool) -> String {
        return value ? "True (1)" : "False (0)"
    }
}
