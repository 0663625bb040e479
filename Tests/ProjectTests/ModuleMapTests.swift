import Foundation
import Testing

/// The module map (Sources/MODULES.md) against the code: every module has a row, every
/// `import` under Sources/ is one its row allows, and Package.swift declares exactly what each
/// target imports. A failure names the offending edge.
@Suite struct ModuleMapTests {
    static let root = SourceRulesTests.root

    /// module -> the modules its row allows.
    static func documentedMap() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Sources/MODULES.md"), encoding: .utf8)
        var map: [String: Set<String>] = [:]
        for line in text.components(separatedBy: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| module") && !line.hasPrefix("| ---") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let allowed = cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            map[cells[1]] = Set(allowed)
        }
        return map
    }

    /// The module directories under Sources/.
    static func moduleDirectories() throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        return try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: sources.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// The modules the Swift files of `module` import (`import X`, `@testable import X`, ...).
    static func imports(of module: String) throws -> [String: [String]] {
        let directory = root.appendingPathComponent("Sources/\(module)")
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [:] }
        var found: [String: [String]] = [:]
        let pattern = try NSRegularExpression(pattern: #"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#)
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
            for line in text.components(separatedBy: "\n") {
                let range = NSRange(line.startIndex..., in: line)
                guard let match = pattern.firstMatch(in: line, range: range), let name = Range(match.range(at: 1), in: line) else { continue }
                found[String(line[name]), default: []].append("Sources/\(module)/\(relative)")
            }
        }
        return found
    }

    /// Package.swift's targets under Sources/: name -> declared dependencies.
    static func packageTargets() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(
            pattern: #"\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"((?:[^()]|\([^()]*\))*)\)"#)
        var targets: [String: Set<String>] = [:]
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let nameRange = Range(match.range(at: 1), in: text), let restRange = Range(match.range(at: 2), in: text) else { continue }
            let rest = String(text[restRange])
            if rest.contains("path: \"Tests/") || rest.contains("path: \"Tools/") { continue }
            var dependencies: Set<String> = []
            if let open = rest.range(of: "dependencies: ["), let close = rest[open.upperBound...].range(of: "]") {
                for piece in rest[open.upperBound..<close.lowerBound].split(separator: ",") {
                    let name = piece.trimmingCharacters(in: CharacterSet(charactersIn: " \n\""))
                    if !name.isEmpty { dependencies.insert(name) }
                }
            }
            targets[String(text[nameRange])] = dependencies
        }
        return targets
    }

    /// Modules of the toolchain a file may import without a row (none today: Foundation and
    /// Dispatch are refused by SourceRulesTests outside host-only modules).
    static let toolchainModules: Set<String> = ["Foundation", "Glibc", "Testing"]

    @Test func everyModuleHasARowAndEveryRowAModule() throws {
        let map = try Self.documentedMap()
        let directories = Set(try Self.moduleDirectories())
        #expect(map.count > 10, "Sources/MODULES.md has no module table")
        for missing in directories.subtracting(map.keys).sorted() { Issue.record("Sources/\(missing) has no row in Sources/MODULES.md") }
        for stale in Set(map.keys).subtracting(directories).sorted() { Issue.record("Sources/MODULES.md lists \(stale), which is not under Sources/") }
    }

    @Test func everyImportIsAllowedByTheMap() throws {
        let map = try Self.documentedMap()
        for module in try Self.moduleDirectories() {
            let allowed = map[module] ?? []
            for (imported, files) in try Self.imports(of: module).sorted(by: { $0.key < $1.key })
            where imported != module && !allowed.contains(imported) && !Self.toolchainModules.contains(imported) {
                Issue.record("edge \(module) -> \(imported) is not in Sources/MODULES.md (imported by \(files.first ?? "?"))")
            }
        }
    }

    @Test func packageDeclaresExactlyWhatEachTargetImports() throws {
        let targets = try Self.packageTargets()
        let map = try Self.documentedMap()
        #expect(targets.count > 10, "no targets read from Package.swift")
        for (module, declared) in targets.sorted(by: { $0.key < $1.key }) {
            let imported = Set(try Self.imports(of: module).keys).subtracting(Self.toolchainModules).subtracting([module])
            for edge in declared.subtracting(imported).sorted() { Issue.record("Package.swift: \(module) depends on \(edge), which it never imports") }
            for edge in imported.subtracting(declared).sorted() { Issue.record("Package.swift: \(module) imports \(edge) but does not declare it") }
            for edge in declared.subtracting(map[module] ?? []).sorted() { Issue.record("Package.swift: edge \(module) -> \(edge) is not in Sources/MODULES.md") }
        }
    }

    /// The simulator stays out of the board binaries: cross/build lists it as host-only and
    /// builds none of Tools/, no board module's row allows importing it, and the executable
    /// p2psip does not depend on it.
    @Test func simulatorIsNeverInABoardBinary() throws {
        let build = try String(contentsOf: Self.root.appendingPathComponent("cross/build"), encoding: .utf8)
        let line = { (prefix: String) -> String in
            build.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init) ?? ""
        }
        #expect(line("HOST_ONLY=").contains("Simulator"), "cross/build does not list Simulator as host-only")
        #expect(!line("MODULES=").contains("Simulator"), "cross/build builds Simulator into the boards")
        #expect(!build.contains("Tools/"), "cross/build builds something from Tools/")
        let map = try Self.documentedMap()
        for (module, allowed) in map where module != "Simulator" {
            #expect(!allowed.contains("Simulator"), "Sources/MODULES.md lets \(module) import Simulator")
        }
        let targets = try Self.packageTargets()
        #expect(targets["p2psip"]?.contains("Simulator") == false, "p2psip depends on Simulator")
        #expect(targets["p2psip-sim"] == nil, "p2psip-sim is declared as a Sources module")
    }
}
