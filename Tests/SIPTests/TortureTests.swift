import Foundation
import SIP
import Testing

/// The seed corpus of the fuzz target (RFC 4475's messages, exact bytes, and RFC 3261's): mutated,
/// nothing traps; a few messages field by field. Each RFC 4475 message's outcome is checked in
/// SIPTortureTests.
@Suite struct TortureTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/sip/corpus")

    static func message(_ name: String) throws -> [UInt8] {
        return Array(try Data(contentsOf: corpus.appendingPathComponent(name + ".sip")))
    }

    /// Every corpus message with bytes changed, cut short or extended: nothing traps, and
    /// whatever parses writes out to a message that parses back to it (a small, seeded,
    /// always-run cousin of the fuzz target).
    @Test func mutatedCorpusNeverTraps() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".sip") }.sorted()
        #expect(names.count >= 20)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var parsed = 0
        for name in names {
            let original = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            for _ in 0..<200 {
                var bytes = original
                for _ in 0...(next() % 3) where !bytes.isEmpty {
                    bytes[next() % bytes.count] = Array(" \r\n:;,<>\"\\@%=?[]0aZ\t".utf8)[next() % 20]
                }
                if next() % 5 == 0 { bytes = Array(bytes.prefix(next() % (bytes.count + 1))) }
                guard let message = try? SIPMessage.parse(datagram: bytes) else { continue }
                parsed += 1
                #expect(try SIPMessage.parse(datagram: message.serialize()) == message, "\(name)")
            }
        }
        #expect(parsed > 100)
    }

    @Test func tortuousInviteFields() throws {
        let message = try SIPMessage.parse(datagram: try Self.message("rfc4475-wsinv"))
        #expect(message.method == .invite)
        #expect(message.requestURI?.parameters.parameter("unknownparam") == SIPParameter("unknownparam", nil))
        #expect(message.to.tag == Array("1918181833n".utf8))
        #expect(message.from.tag == Array("98asjd8".utf8))
        #expect(message.from.displayName == Array("J Rosenberg \\\"".utf8))
        #expect(message.maxForwards == 68)
        #expect(message.cseq == SIPCSeq(number: 9, method: .invite))
        #expect(message.via.count == 3)
        #expect(message.via.map { String(decoding: $0.transport, as: UTF8.self) } == ["UDP", "TCP", "UDP"])
        #expect(message.via[1].branch == Array("z9hG4bK9ikj8".utf8))
        #expect(message.via[2].host == Array("192.168.255.111".utf8))
        #expect(message.contacts.count == 1)
        #expect(message.contacts[0].displayName == Array("Quoted string \"\"".utf8))
        #expect(message.contacts[0].parameters.value("q") == Array("0.33".utf8))
        #expect(message.routes.count == 1)
        #expect(message.values(of: "subject") == [[]])
        #expect(message.values(of: "NewFangledHeader") == [Array("newfangled value continued newfangled value".utf8)])
        #expect(message.values(of: "content-type") == [Array("application/sdp".utf8)])
        #expect(message.body.count > 100)
    }

    @Test func escapesAndIPv6() throws {
        let esc = try SIPMessage.parse(datagram: try Self.message("rfc4475-esc01"))
        #expect(esc.requestURI?.user == Array("sips%3Auser%40example.com".utf8))
        #expect(esc.contacts[0].uri.parameters.first?.name == Array("%6c%72".utf8))
        let register = try SIPMessage.parse(datagram: try Self.message("rfc3261-register-digest"))
        #expect(register.via[0].host == Array("[2001:db8::9]".utf8))
        #expect(register.via[0].port == 5060)
        #expect(register.via[0].responsePort == .requested)
        #expect(register.contacts[0].uri.host == Array("[2001:db8::9]".utf8))
        #expect(register.contacts[0].parameters.value("expires") == Array("3600".utf8))
        #expect(register.expires == 7200)
        #expect(register.authorizations.count == 1)
        #expect(register.authorizations[0].value("username") == Array("alice".utf8))
        #expect(register.authorizations[0].parameters.value("qop") == Array("auth".utf8))
    }
}
