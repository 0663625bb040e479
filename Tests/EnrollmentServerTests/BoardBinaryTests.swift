import Foundation
import Testing

/// The identity commands in the Embedded Swift board binary (cross/build host), end to end on
/// loopback through cross/check-identity (which `make test` also runs for aarch64 and armv7
/// under qemu).
@Suite struct BoardBinaryTests {
    static let binary = Tool.projectRoot.appendingPathComponent("cross/out/host/p2psip")

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path) && Tool.hasCurlAndOpenSSL,
                   "no board binary: run cross/build host"))
    func hostBoardBinaryRunsTheIdentityCommands() throws {
        let result = try Tool.run(Tool.projectRoot.appendingPathComponent("cross/check-identity"), ["host"],
                                  in: Tool.projectRoot, seconds: 300)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("self-signed: ok"))
    }
}
