import Foundation
import Testing
@testable import Platform

@Suite struct FileAppendTests {
    @Test func appendCreatesWithModeAndGrowsTheStamp() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "p2psip-append")
        defer { try? FileSystem.removeTree(directory) }
        let path = directory + "/ledger"
        #expect(FileSystem.changeStamp(path) == nil)
        try FileSystem.append(path, Array("one\n".utf8), mode: 0o600)
        let first = try #require(FileSystem.changeStamp(path))
        #expect(first.sizeBytes == 4)
        #expect(FileSystem.permissions(path) == 0o600)
        try FileSystem.append(path, Array("two\n".utf8), mode: 0o644)
        let second = try #require(FileSystem.changeStamp(path))
        #expect(second.sizeBytes == 8 && second.inode == first.inode)
        #expect(try FileSystem.readFile(path, maximumBytes: 100) == Array("one\ntwo\n".utf8))
        // Mode applies only at creation.
        #expect(FileSystem.permissions(path) == 0o600)
        // An atomic replacement is a new file: the stamp changes even at the same size.
        try FileSystem.writeFileAtomically(path, Array("six\nsix\n".utf8), mode: 0o600)
        #expect(FileSystem.changeStamp(path) != second)
    }

    @Test func appendToAMissingDirectoryNamesThePath() throws {
        #expect(throws: PlatformError.self) { try FileSystem.append("/nonexistent-p2psip/ledger", [1], mode: 0o600) }
        do {
            try FileSystem.append("/nonexistent-p2psip/ledger", [1], mode: 0o600)
        } catch {
            #expect(error.description.contains("/nonexistent-p2psip/ledger"))
        }
    }
}
