import Foundation
import Testing

/// The programs other implementations' suites run against ours (openssl, curl, tshark, sipsak,
/// SIPp, shellcheck). Those suites are switched off on a machine without them, so that one
/// missing package does not bury the run in unrelated failures; this test fails instead,
/// naming what is missing, so a run without them can never pass. `cross/deps all` (the first
/// step of `make test`) installs them.
@Suite struct RequiredToolsTests {
    /// Program, and the Debian package that installs it.
    static let tools: [(program: String, package: String)] = [
        ("openssl", "openssl"), ("curl", "curl"), ("tshark", "tshark"), ("dumpcap", "wireshark-common"),
        ("sipsak", "sipsak"), ("sipp", "sip-tester"), ("shellcheck", "shellcheck"),
    ]

    @Test func everyToolTheSuitesRunIsInstalled() {
        let missing = Self.tools.filter { !FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0.program)") }
        #expect(
            missing.isEmpty,
            "not installed: \(missing.map { $0.program }.joined(separator: ", ")); the suites that run them were skipped. Install: apt-get install -y \(Set(missing.map { $0.package }).sorted().joined(separator: " ")) (or cross/deps all)")
    }
}
