import Foundation
import Testing

/// The rules every file under Sources/ must follow so that it also builds as Embedded Swift
/// for the boards. The board build would fail on
/// most of these too; this test says why in plain words, and runs in seconds.
@Suite struct SourceRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Host-only modules may use the full language and Foundation.
    static let hostOnly = ["Simulator", "p2psip-sim"]
    static let maximumFunctionLines = 70

    struct SourceFile {
        var path: String
        var lines: [String]
    }

    static var sourceFiles: [SourceFile] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { return [] }
        var files: [SourceFile] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            if hostOnly.contains(where: { relative.hasPrefix($0 + "/") }) { continue }
            let url = sources.appendingPathComponent(relative)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            files.append(SourceFile(path: "Sources/" + relative, lines: text.components(separatedBy: "\n")))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Code without comments and string literals, for pattern checks.
    static func code(_ line: String) -> String {
        var result = ""
        var inString = false
        var previous: Character = " "
        for character in line {
            if !inString && character == "/" && previous == "/" {
                result.removeLast()
                break
            }
            if character == "\"" && previous != "\\" { inString.toggle() }
            if !inString && character != "\"" { result.append(character) }
            previous = character
        }
        return result
    }

    func violations(_ pattern: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: [String] = []
        for file in Self.sourceFiles {
            for (index, line) in file.lines.enumerated() {
                let stripped = Self.code(line)
                let range = NSRange(stripped.startIndex..., in: stripped)
                if regex.firstMatch(in: stripped, range: range) != nil {
                    found.append("\(file.path):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    @Test func sourcesExist() {
        #expect(Self.sourceFiles.count > 10)
    }

    @Test func noFoundationOrDispatch() throws {
        let found = try violations(#"^\s*(@_?\w+\s+)?import\s+(Foundation|FoundationEssentials|Dispatch)\b"#)
        #expect(found.isEmpty, "Foundation/Dispatch are not in Embedded Swift:\n\(found.joined(separator: "\n"))")
    }

    @Test func noUntypedThrows() throws {
        let found = try violations(#"\b(re)?throws\b(?!\s*\()"#)
        #expect(found.isEmpty, "use throws(SomeError), untyped throws needs existential errors:\n\(found.joined(separator: "\n"))")
    }

    @Test func noAnyExistentials() throws {
        let found = try violations(#"(^|[:(<,\[]|->)\s*any\s+[A-Z]"#)
        #expect(found.isEmpty, "existentials are not in Embedded Swift, use generics or enums:\n\(found.joined(separator: "\n"))")
    }

    @Test func noForcedTry() throws {
        let found = try violations(#"\btry!"#)
        #expect(found.isEmpty, "handle the error:\n\(found.joined(separator: "\n"))")
    }

    @Test func noConcurrencyCodableOrMirror() throws {
        let found = try violations(#"\b(async|await|Codable|Decodable|Encodable|Mirror|DispatchQueue|Task\s*\{)\b|\b(weak|unowned)\s+(var|let)\b"#)
        #expect(found.isEmpty, "not available in Embedded Swift:\n\(found.joined(separator: "\n"))")
    }

    @Test func functionsAreShort() {
        var long: [String] = []
        for file in Self.sourceFiles {
            var index = 0
            while index < file.lines.count {
                let line = file.lines[index]
                let stripped = Self.code(line)
                guard stripped.range(of: #"^\s*(@\w+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|static|mutating|override|final|convenience|@discardableResult)\s+)*(func|init|deinit)\b"#, options: .regularExpression) != nil,
                    stripped.hasSuffix("{")
                else {
                    index += 1
                    continue
                }
                let indent = line.prefix { $0 == " " }.count
                var end = index + 1
                while end < file.lines.count && file.lines[end] != String(repeating: " ", count: indent) + "}" { end += 1 }
                let length = end - index + 1
                if length > Self.maximumFunctionLines {
                    long.append("\(file.path):\(index + 1): \(length) lines")
                }
                index += 1
            }
        }
        #expect(long.isEmpty, "functions over \(Self.maximumFunctionLines) lines:\n\(long.joined(separator: "\n"))")
    }

    /// The checker itself must be able to fail.
    @Test func checksCatchViolations() throws {
        #expect(Self.code("import Foundation // x") == "import Foundation ")
        #expect(Self.code("let s = \"try! in a string\"").contains("try!") == false)
        let regex = try NSRegularExpression(pattern: #"\b(re)?throws\b(?!\s*\()"#)
        for (text, matches) in [("func f() throws -> Int", true), ("func f() throws(E) -> Int", false), ("func f() rethrows", true)] {
            let hit = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(hit == matches, "\(text)")
        }
    }
}
