import Foundation
import Testing
import TestSupport

@Suite struct TemporaryDirectoryTests {
    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    @Test func uniqueAndRemovedWithTheObject() throws {
        var first: TemporaryDirectory? = try TemporaryDirectory("test-support")
        let second = try TemporaryDirectory("test-support")
        let url = try #require(first).url
        #expect(url != second.url)
        #expect(url.lastPathComponent.hasPrefix("test-support-"))
        try Data("x".utf8).write(to: try #require(first).file("inside"))
        first = nil
        #expect(!Self.exists(url))
        #expect(Self.exists(second.url))
        second.remove()
        #expect(!Self.exists(second.url))
    }

    @Test func keptDirectoriesStay() throws {
        var directory: TemporaryDirectory? = try TemporaryDirectory("test-support-kept")
        let url = try #require(directory).url
        directory?.keep()
        directory = nil
        #expect(Self.exists(url))
        try FileManager.default.removeItem(at: url)
    }

    @Test func withRemovesAfterTheBodyEvenWhenItThrows() throws {
        let url = try TemporaryDirectory.with("test-support-with") { url in
            #expect(Self.exists(url))
            return url
        }
        #expect(!Self.exists(url))
        var thrownFrom: URL? = nil
        #expect(throws: ProcessFailure.self) {
            try TemporaryDirectory.with("test-support-with") { url in
                thrownFrom = url
                throw ProcessFailure("from the body")
            }
        }
        #expect(thrownFrom.map { !Self.exists($0) } == true)
    }

    @Test func theProjectRootIsThisRepository() {
        #expect(Self.exists(BuiltProducts.projectRoot.appendingPathComponent("Package.swift")))
        #expect(Self.exists(BuiltProducts.projectRoot.appendingPathComponent("Tests/TestSupport")))
    }
}
