import Wire

/// The `key = value` text format of board configuration files:
///
///     # a comment (only whole lines; '#' inside a value is part of the value)
///     key = value
///
/// Keys are lower-case letters, digits and '-'. The value is the rest of the line with
/// surrounding blanks removed and must not be empty. CRLF line ends are accepted; other
/// control characters are not. Each key at most once.
public enum KeyValueFile {
    public struct Entry: Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public static let maximumFileBytes = 64 * 1024
    public static let maximumLines = 2000
    public static let maximumLineBytes = 1024

    public static func parse(_ text: [UInt8], fileName: String) throws(BoardConfigError) -> [Entry] {
        if text.count > maximumFileBytes {
            throw BoardConfigError(.tooLarge, file: fileName, line: 0, key: "", "file of \(text.count) bytes (limit \(maximumFileBytes))")
        }
        var entries: [Entry] = []
        var lineNumber = 0
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            lineNumber += 1
            if lineNumber > maximumLines {
                throw BoardConfigError(.tooLarge, file: fileName, line: lineNumber, key: "", "more than \(maximumLines) lines")
            }
            var line = Array(text[start..<end])
            if line.last == 0x0D { line.removeLast() }
            if let entry = try parseLine(line, number: lineNumber, fileName: fileName) {
                for earlier in entries where earlier.key == entry.key {
                    throw BoardConfigError(.duplicateKey, file: fileName, line: lineNumber, key: entry.key,
                                      "already set on line \(earlier.line)")
                }
                entries.append(entry)
            }
            start = end + 1
        }
        return entries
    }

    static func parseLine(_ line: [UInt8], number: Int, fileName: String) throws(BoardConfigError) -> Entry? {
        if line.count > maximumLineBytes {
            throw BoardConfigError(.syntax, file: fileName, line: number, key: "", "line longer than \(maximumLineBytes) bytes")
        }
        for byte in line where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw BoardConfigError(.syntax, file: fileName, line: number, key: "", "control character 0x\(Hex.encode([byte])) in line")
        }
        let trimmed = trim(line[...])
        if trimmed.isEmpty || trimmed.first == 0x23 { return nil }  // blank or '#'
        guard let equals = trimmed.firstIndex(of: 0x3D) else {
            throw BoardConfigError(.syntax, file: fileName, line: number, key: "", "expected 'key = value'")
        }
        let keyBytes = trim(trimmed[trimmed.startIndex..<equals])
        let valueBytes = trim(trimmed[(equals + 1)...])
        guard !keyBytes.isEmpty, keyBytes.allSatisfy(isKeyCharacter) else {
            throw BoardConfigError(.syntax, file: fileName, line: number, key: String(decoding: keyBytes, as: UTF8.self),
                              "a key is lower-case letters, digits and '-'")
        }
        let key = String(decoding: keyBytes, as: UTF8.self)
        guard !valueBytes.isEmpty else {
            throw BoardConfigError(.invalidValue, file: fileName, line: number, key: key, "empty value")
        }
        guard let value = validUTF8(valueBytes) else {
            throw BoardConfigError(.invalidValue, file: fileName, line: number, key: key, "value is not valid UTF-8")
        }
        return Entry(key: key, value: value, line: number)
    }

    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        return slice
    }

    static func isKeyCharacter(_ byte: UInt8) -> Bool {
        return (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
    }

    /// The text if `bytes` is well-formed UTF-8 (decoding would otherwise replace bad bytes).
    static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.utf8) == Array(bytes) ? text : nil
    }
}
