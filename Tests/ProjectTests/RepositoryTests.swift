import Foundation
import Testing
import TestSupport

/// Rules for the repository as a whole: every shell script passes shellcheck, and nothing in it
/// points outside it (someone who clones it has nothing else).
@Suite struct RepositoryTests {
    static let root = SourceRulesTests.root
    /// Folders that hold build output or fetched files, never the project's own.
    static let skipped: Set<String> = [".git", ".build", ".swiftpm", "sysroot", "out", "obj", "corpus"]

    /// Every file of the repository's own, relative to its root.
    static var repositoryFiles: [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if skipped.contains(name) || name.hasPrefix(".build") {
                walker.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// Shell scripts: a `#!` line naming sh or bash, or a `.sh` name.
    static var shellScripts: [String] {
        repositoryFiles.filter { relative in
            if relative.hasSuffix(".sh") { return true }
            guard let handle = FileHandle(forReadingAtPath: root.appendingPathComponent(relative).path) else { return false }
            defer { try? handle.close() }
            let head = String(decoding: handle.readData(ofLength: 64), as: UTF8.self)
            guard head.hasPrefix("#!"), let firstLine = head.split(separator: "\n").first else { return false }
            return firstLine.hasSuffix("/sh") || firstLine.hasSuffix("bash") || firstLine.hasSuffix(" sh")
        }
    }

    @Test func theScriptsAreFound() {
        let scripts = Self.shellScripts
        // The scripts the Makefile runs must be among them, or the search below checks nothing.
        for expected in [".ci/run", "cross/build", "cross/deps", "cross/fetch-sysroot", "cross/fresh-check", "Tests/Fuzz/run"] {
            #expect(scripts.contains(expected), "\(expected) not recognised as a shell script")
        }
    }

    /// shellcheck (Debian's package, installed by cross/deps all) over every shell script: no
    /// finding of any severity; a suppression in a script carries its reason on the same line.
    @Test func shellcheckFindsNothing() throws {
        let shellcheck = "/usr/bin/shellcheck"
        #expect(FileManager.default.isExecutableFile(atPath: shellcheck), "shellcheck missing: run cross/deps all")
        guard FileManager.default.isExecutableFile(atPath: shellcheck) else { return }
        let result = try Subprocess.run(
            URL(fileURLWithPath: shellcheck), ["--severity=style", "--external-sources"] + Self.shellScripts, in: Self.root,
            output: .merged, seconds: 300)
        #expect(result.status == 0, "shellcheck:\n\(result.output)")
    }

    @Test func everySuppressionSaysWhy() throws {
        var bare: [String] = []
        for script in Self.shellScripts {
            let text = try String(contentsOf: Self.root.appendingPathComponent(script), encoding: .utf8)
            for (index, line) in text.components(separatedBy: "\n").enumerated() where line.contains("shellcheck disable=") {
                // "# shellcheck disable=SC1234 # the reason"
                let afterDirective = line.components(separatedBy: "shellcheck disable=")[1]
                if !afterDirective.contains("#") { bare.append("\(script):\(index + 1): \(line)") }
            }
        }
        #expect(bare.isEmpty, "a shellcheck suppression without a reason on its line:\n\(bare.joined(separator: "\n"))")
    }

    /// The repository stands alone: no file refers to a folder beside it, nor to the team's
    /// design notes that live there (by their file names).
    @Test func nothingPointsOutside() throws {
        let pattern = try NSRegularExpression(
            pattern: #"\.\./shared|shared/(notes|specs|hooks)/|\b(DESIGN|STYLE|REQUIREMENTS|RELOAD-CHECKLIST)\.md\b"#)
        var found: [String] = []
        for relative in Self.repositoryFiles where relative != "Tests/ProjectTests/RepositoryTests.swift" {
            guard let text = try? String(contentsOf: Self.root.appendingPathComponent(relative), encoding: .utf8) else { continue }
            for (index, line) in text.components(separatedBy: "\n").enumerated()
            where pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                found.append("\(relative):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "refers to something outside the repository:\n\(found.joined(separator: "\n"))")
    }
}
