import Foundation
import SIP
import Testing

/// The seed corpus of the fuzz target holds messages written out from RFC 4475 (SIP torture
/// tests) and RFC 3261; each must parse, or be refused naming the field RFC 4475 says is
/// wrong.
@Suite struct TortureTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/sip/corpus")

    static func message(_ name: String) throws -> [UInt8] {
        return Array(try Data(contentsOf: corpus.appendingPathComponent(name + ".sip")))
    }

    /// RFC 4475 §3.1.1: valid messages. Each parses, and writing it out gives a message that
    /// parses to the same value (our own output is canonical).
    @Test(arguments: [
        "rfc4475-wsinv", "rfc4475-esc01", "rfc4475-escnull", "rfc4475-lwsdisp", "rfc4475-semiuri", "rfc4475-transports",
        "rfc4475-unreason", "rfc4475-noreason", "rfc4475-regaut01", "rfc3261-register-digest",
        // A password in the Request-URI and NUL, BEL, DEL as quoted-pairs (RFC 3261 §25.1).
        "rfc4475-intmeth",
        // Two messages in one datagram: the bytes after the first one's body are discarded
        // (RFC 3261 §18.3).
        "rfc4475-dblreq",
    ])
    func validMessagesParseAndRoundTrip(name: String) throws {
        let message = try SIPMessage.parse(datagram: try Self.message(name))
        let written = message.serialize()
        #expect(try SIPMessage.parse(datagram: written) == message)
        #expect(written == (try SIPMessage.parse(datagram: written)).serialize())
    }

    /// RFC 4475 §3.1.2: invalid messages, refused with the field that is wrong.
    @Test(arguments: [
        ("rfc4475-clerr", "Content-Length", 400), ("rfc4475-scalarlg", "CSeq", 400), ("rfc4475-quotbal", "To", 400),
        ("rfc4475-ltgtruri", "Request-URI", 400), ("rfc4475-lwsruri", "start line", 400), ("rfc4475-badaspec", "To", 400),
        ("rfc4475-baddn", "From", 400), ("rfc4475-badvers", "SIP-Version", 505), ("rfc4475-mismatch01", "CSeq", 400),
        ("rfc4475-bigcode", "start line", 400), ("rfc4475-unkscm", "Request-URI", 416), ("rfc4475-regbadct", "Contact", 400),
        ("rfc4475-escruri", "Request-URI", 400), ("rfc4475-trws", "start line", 400), ("rfc4475-mcl01", "Content-Length", 400),
    ])
    func invalidMessagesAreRefused(name: String, field: String, status: Int) throws {
        let bytes = try Self.message(name)
        do {
            let message = try SIPMessage.parse(datagram: bytes)
            Issue.record("\(name) parsed: \(message.callId)")
        } catch {
            #expect(error.field == field, "\(name): \(error.description)")
            #expect(error.statusCode == status, "\(name): \(error.description)")
        }
    }

    /// On a stream, the two messages of "dblreq" follow each other (the CRLF between them is
    /// skipped, RFC 3261 §7.5).
    @Test func twoMessagesOnAStream() throws {
        let bytes = try Self.message("rfc4475-dblreq")
        let first = try #require(try SIPMessage.parse(stream: bytes))
        #expect(first.message.method == .register)
        let second = try #require(try SIPMessage.parse(stream: Array(bytes[first.consumed...])))
        #expect(second.message.method == .invite)
        #expect(first.consumed + second.consumed == bytes.count)
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
