import Config
import Crypto
import Foundation
import HTTPS
import Testing
import TestSupport

/// The identity commands as users run them: usage errors (exit 2) name the option, failures
/// (exit 1) name the file or the step; files land with the right modes.
@Suite(.serialized) struct IdentityCommandTests {
    @Test func usageErrorsNameTheOption() throws {
        try TemporaryDirectory.with("p2psip-identity") { directory in
            for (arguments, message) in [
                (["ca", "init", "--dir", "ca"], "--overlay is required"),
                (["ca", "init", "--dir", "ca", "--overlay", "bad name!"], "--overlay 'bad name!'"),
                (["ca", "init", "--dir", "ca", "--overlay", "o.example", "--listen", "127.0.0.1"], "--listen '127.0.0.1'"),
                (["ca", "init", "--dir", "ca", "--overlay", "o.example", "--proof-of-work", "8"], "add --self-signed-permitted"),
                (["ca", "init", "--dir", "ca", "--overlay", "o.example", "--frob"], "unknown option --frob"),
                (["ca", "serve", "--dir", "ca", "--listen", "127.0.0.1:0", "--max-connections", "0"], "--max-connections 0 outside"),
                (["ca", "user", "add", "--dir", "ca", "--user", "Bad User", "--password-file", "pw"], "--user 'Bad User'"),
                (["ca", "revoke", "--dir", "ca"], "give exactly one of --user, --node and --serial"),
                (["enroll", "--server", "http://x", "--user", "a", "--password-file", "pw", "--dir", "d"], "--server: URL 'http://x'"),
                (["enroll", "--server", "https://o.example", "--user", "a", "--password-file", "pw", "--dir", "d"], "add --connect"),
                (["enroll", "--server", "https://127.0.0.1:1", "--user", "a", "--password-file", "pw", "--dir", "d"], "no trust anchor"),
                (["identity", "self-signed", "--dir", "d", "--user", "a", "--digest", "md5"], "--digest 'md5'"),
                (["identity", "self-signed", "--dir", "d"], "--user is required"),
            ] {
                let result = try Tool.p2psip(arguments, in: directory)
                #expect(result.status == 2, "\(arguments): \(result.status) \(result.error)")
                #expect(result.error.contains(message), "\(arguments): \(result.error)")
                #expect(result.error.contains("usage: p2psip"), "\(arguments)")
            }
        }
    }

    @Test func caInitWritesPrivateKeysAndNeverOverwrites() throws {
        try TemporaryDirectory.with("p2psip-identity") { directory in
            let created = try Tool.p2psip(["ca", "init", "--dir", "ca", "--overlay", "o.example", "--listen", "127.0.0.1:8443"], in: directory)
            #expect(created.status == 0, "\(created.error)")
            let manager = FileManager.default
            for (name, mode) in [("root-key.pem", 0o600), ("server-key.pem", 0o600), ("signer-key.pem", 0o600), ("accounts", 0o600),
                                 ("ledger", 0o600), ("root-cert.pem", 0o644), ("reload-config.xml", 0o644), ("crl.der", 0o644)] {
                let path = directory.appendingPathComponent("ca/" + name).path
                #expect(try manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int == mode, "\(name)")
            }
            #expect(try manager.attributesOfItem(atPath: directory.appendingPathComponent("ca").path)[.posixPermissions] as? Int == 0o700)
            // The server certificate names the overlay (RFC 6940 §11.3) and the listen address.
            let text = try Tool.system("openssl", ["x509", "-in", "ca/server-cert.pem", "-noout", "-ext", "subjectAltName"], in: directory)
            #expect(text.output.contains("DNS:o.example") && text.output.contains("IP Address:127.0.0.1"), "\(text.output)")
            let again = try Tool.p2psip(["ca", "init", "--dir", "ca", "--overlay", "o.example"], in: directory)
            #expect(again.status == 1 && again.error.contains("exists and is not empty"), "\(again.error)")
            // Broken files are reported with their name and line.
            let accounts = directory.appendingPathComponent("ca/accounts")
            try "max-node-ids-per-user = 4\nfrobnicate = 1\n".write(to: accounts, atomically: true, encoding: .utf8)
            let listed = try Tool.p2psip(["ca", "user", "list", "--dir", "ca"], in: directory)
            #expect(listed.status == 1 && listed.error.contains("ca/accounts:2: unknown setting frobnicate"), "\(listed.error)")
        }
    }

    @Test func selfSignedIdentityFollowsTheOverlayConfiguration() throws {
        try TemporaryDirectory.with("p2psip-identity") { directory in
            let made = try Tool.p2psip(["identity", "self-signed", "--dir", "lan", "--user", "carol", "--proof-of-work", "10"], in: directory)
            #expect(made.status == 0, "\(made.error)")
            #expect(made.output.contains("weaker than enrollment"))
            let certificate = try Certificate.parse(Array(try Data(contentsOf: directory.appendingPathComponent("lan/cert.pem"))))
            let verifier = try IdentityVerifier(
                overlayName: "p2psip-lan", nodeIdLength: 16, roots: [], selfSigned: SelfSignedPolicy(digest: .sha256, workBits: 10))
            let identity = try verifier.verify(chain: [certificate], now: CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970)))
            #expect(identity.isSelfSigned && identity.userName == "carol@p2psip-lan")
            // A peer that asks for more work refuses it.
            let stricter = try IdentityVerifier(
                overlayName: "p2psip-lan", nodeIdLength: 16, roots: [], selfSigned: SelfSignedPolicy(digest: .sha256, workBits: 30))
            #expect(throws: CryptoError.self) {
                try stricter.verify(chain: [certificate], now: CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970)))
            }
            // The configuration it wrote is the overlay's; a second identity in a directory holding
            // it must agree with it, and a CA overlay without self-signed-permitted refuses.
            let config = try OverlayDocument.parse(Array(try Data(contentsOf: directory.appendingPathComponent("lan/reload-config.xml"))))
            #expect(config.configurations.first?.configuration.selfSignedWorkBits == 10)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("lan2"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: directory.appendingPathComponent("lan/reload-config.xml"),
                                             to: directory.appendingPathComponent("lan2/reload-config.xml"))
            let mismatch = try Tool.p2psip(["identity", "self-signed", "--dir", "lan2", "--user", "dan", "--proof-of-work", "4"], in: directory)
            #expect(mismatch.status == 2 && mismatch.error.contains("asks for 10"), "\(mismatch.error)")
            let second = try Tool.p2psip(["identity", "self-signed", "--dir", "lan2", "--user", "dan"], in: directory)
            #expect(second.status == 0 && second.output.contains("proof of work: 10"), "\(second.error)")
            let again = try Tool.p2psip(["identity", "self-signed", "--dir", "lan2", "--user", "dan"], in: directory)
            #expect(again.status == 1 && again.error.contains("already holds an identity"), "\(again.error)")
            _ = try Tool.p2psip(["ca", "init", "--dir", "ca", "--overlay", "o.example"], in: directory)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("node"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: directory.appendingPathComponent("ca/reload-config.xml"),
                                             to: directory.appendingPathComponent("node/reload-config.xml"))
            let refused = try Tool.p2psip(["identity", "self-signed", "--dir", "node", "--user", "eve"], in: directory)
            #expect(refused.status == 1 && refused.error.contains("does not permit self-signed identities"), "\(refused.error)")
        }
    }

    /// Self-signed mode's safe defaults as the commands write them (§11.3.1, §13.3): without
    /// --proof-of-work, 20 bits of work and one Node-ID per certificate, in the identity and
    /// in the configurations `identity self-signed` and `ca init --self-signed-permitted` write.
    @Test func selfSignedDefaultsAreSafe() throws {
        try TemporaryDirectory.with("p2psip-identity-defaults") { directory in
            let made = try Tool.p2psip(["identity", "self-signed", "--dir", "lan", "--user", "erin"], in: directory)
            #expect(made.status == 0 && made.output.contains("proof of work: 20 leading zero bits"), "\(made.output) \(made.error)")
            let certificate = try Certificate.parse(Array(try Data(contentsOf: directory.appendingPathComponent("lan/cert.pem"))))
            let now = CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970))
            let twenty = try IdentityVerifier(
                overlayName: "p2psip-lan", nodeIdLength: 16, roots: [], selfSigned: SelfSignedPolicy(digest: .sha256, workBits: 20))
            #expect(try twenty.verify(chain: [certificate], now: now).nodeIds.count == 1)
            let lan = try OverlayDocument.parse(Array(try Data(contentsOf: directory.appendingPathComponent("lan/reload-config.xml"))))
            #expect(lan.configurations.first?.configuration.selfSignedWorkBits == 20)
            #expect(lan.configurations.first?.configuration.selfSignedNodeIds == 1)
            let ca = try Tool.p2psip(["ca", "init", "--dir", "ca", "--overlay", "o.example", "--self-signed-permitted"], in: directory)
            #expect(ca.status == 0, "\(ca.error)")
            let signed = try OverlayDocument.parse(Array(try Data(contentsOf: directory.appendingPathComponent("ca/reload-config.xml"))))
            #expect(signed.configurations.first?.configuration.selfSignedWorkBits == 20)
            #expect(signed.configurations.first?.configuration.selfSignedNodeIds == 1)
        }
    }

    @Test func httpsLocations() throws {
        let plain = try HTTPSLocation.parse("https://127.0.0.1:8443")
        #expect(plain.host == "127.0.0.1" && plain.port == 8443 && plain.path == "/" && plain.hostIsAddress)
        let named = try HTTPSLocation.parse("HTTPS://overlay.example.org/enroll")
        #expect(named.host == "overlay.example.org" && named.port == 443 && named.path == "/enroll" && !named.hostIsAddress)
        #expect(named.authority == "overlay.example.org")
        let six = try HTTPSLocation.parse("https://[::1]:9/")
        #expect(six.host == "::1" && six.port == 9 && six.hostIsAddress && six.socketAddress == "[::1]:9")
        for bad in ["http://x", "https://", "https://x:0", "https://x:70000", "https://a b", "https://x/?q", "https://[::1", "https://u@x"] {
            #expect(throws: HTTPSError.self, "\(bad)") { try HTTPSLocation.parse(bad) }
        }
    }
}
