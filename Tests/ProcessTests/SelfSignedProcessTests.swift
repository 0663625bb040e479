import Crypto
import Foundation
import Testing
import TestSupport

/// Two self-signed peers on loopback (RFC 6940 §11.3.1): the first publishes its certificate
/// under its user name (§8) and so binds the name to its key; a second peer whose certificate
/// claims the same user name joins the overlay (its Node-ID is its own key's) but cannot store
/// under that name (Error_Forbidden, first come), while the name's holder can.
///
/// The storing peer of H(sam@lan.p2psip) must be the honest one: a claimer that is itself the
/// responsible peer stores what it likes on itself, whatever any rule says. So the claimer's
/// key is made again (no proof of work: cheap) until the name's resource falls to sam.
@Suite(.serialized) struct SelfSignedProcessTests {
    /// The Node-ID `identity self-signed` printed.
    static func nodeId(_ output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Node-ID ") }),
            let hex = line.split(separator: " ").dropFirst().first, hex.count == 32
        else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// CHORD-RELOAD (§10.1): a peer is responsible for the Resource-IDs after its predecessor
    /// up to its own Node-ID; of two peers, the first at or after the Resource-ID, round the ring.
    static func firstIsResponsible(_ first: [UInt8], _ second: [UInt8], for resource: [UInt8]) -> Bool {
        let (low, high) = first.lexicographicallyPrecedes(second) ? (first, second) : (second, first)
        let responsible = (!low.lexicographicallyPrecedes(resource)) || high.lexicographicallyPrecedes(resource) ? low : high
        return responsible == first
    }

    @Test func aSelfSignedPeerClaimingAnothersUserNameCannotStoreUnderIt() throws {
        let base = TestnetProcess.basePort(8)
        try TemporaryDirectory.with("p2psip-self-signed") { directory in
            // No proof of work: the test is about names (IdentityCommandTests check the default).
            let ca = try Tool.p2psip(["ca", "init", "--dir", "ca", "--overlay", "lan.p2psip", "--self-signed-permitted",
                                      "--proof-of-work", "0", "--bootstrap", "127.0.0.1:\(base)"], in: directory)
            try #require(ca.status == 0, "\(ca.error)")
            // Both certificates name sam@lan.p2psip: self-signed, anyone may write any name.
            func identity(_ name: String) throws -> [UInt8]? {
                let folder = directory.appendingPathComponent(name)
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: directory.appendingPathComponent("ca/reload-config.xml"),
                                                 to: folder.appendingPathComponent("reload-config.xml"))
                let made = try Tool.p2psip(["identity", "self-signed", "--dir", name, "--user", "sam"], in: directory)
                return made.status == 0 ? Self.nodeId(made.output) : nil
            }
            let samId = try #require(try identity("sam"))
            let resource = Array(SHA1.hash(Array("sam@lan.p2psip".utf8)).prefix(16))
            var placed = false
            for _ in 0..<40 where !placed {
                let malloryId = try #require(try identity("mallory"))
                placed = Self.firstIsResponsible(samId, malloryId, for: resource)
            }
            try #require(placed, "no claimer key left sam responsible for its name in 40 tries")
            let sam = try Subprocess.start(Tool.p2psip, [
                "peer", "--identity", "sam", "--listen", "127.0.0.1:\(base)", "--first", "--control", "sam/control.sock",
                "--data-dir", directory.appendingPathComponent("sam/data").path,
            ], in: directory)
            defer { _ = sam.stop() }
            let samControl = directory.appendingPathComponent("sam/control.sock").path
            let published = TestnetProcess.wait(seconds: 30) {
                let counters = DetachedOverlay.status(control: samControl)?["counters"] as? [String: Any]
                return ((counters?["storage"] as? [String: Any])?["certificate_publications"] as? Int ?? 0) >= 1
            }
            try #require(published != nil, "sam did not publish its certificate")
            let mallory = try Subprocess.start(Tool.p2psip, [
                "peer", "--identity", "mallory", "--listen", "127.0.0.1:\(base + 1)", "--bootstrap", "127.0.0.1:\(base)",
                "--control", "mallory/control.sock", "--data-dir", directory.appendingPathComponent("mallory/data").path,
            ], in: directory)
            defer { _ = mallory.stop() }
            let malloryControl = directory.appendingPathComponent("mallory/control.sock").path
            let joined = TestnetProcess.wait(seconds: 30) { DetachedOverlay.status(control: malloryControl)?["state"] as? String == "joined" }
            try #require(joined != nil, "mallory did not join")
            let claim = try Tool.p2psip(["put", "sam@lan.p2psip", "USER-DATA", "--key", "k", "mallory-was-here", "--control",
                                         "mallory/control.sock"], in: directory)
            #expect(claim.status != 0, "\(claim.output)")
            #expect(claim.error.contains("Error_Forbidden") && claim.error.contains("bound to another self-signed key"), "\(claim.error)")
            let own = try Tool.p2psip(["put", "sam@lan.p2psip", "USER-DATA", "--key", "k", "sam-here", "--control", "sam/control.sock"],
                                      in: directory)
            #expect(own.status == 0, "\(own.error)")
            let read = try Tool.p2psip(["get", "sam@lan.p2psip", "USER-DATA", "--control", "mallory/control.sock"], in: directory)
            #expect(read.status == 0 && read.output.contains("key k: sam-here") && !read.output.contains("mallory-was-here"),
                    "\(read.output) \(read.error)")
        }
    }
}
