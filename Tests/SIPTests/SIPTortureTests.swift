import Foundation
import Reload
import SIP
import SIPFront
import Testing
import Wire

/// RFC 4475, the SIP torture test messages, byte for byte (Torture/NAME.sip, written by
/// Torture/expand.py from the RFC's section 3 text and checked against its Appendix A
/// archive). Torture/INDEX.md names each message's section, what RFC 4475 expects, what our
/// parser and a SIP front do, and why where that differs from the RFC.
@Suite struct SIPTortureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Torture")

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(name + ".sip")) else {
            Issue.record("Torture/\(name).sip is missing")
            return []
        }
        return Array(data)
    }

    static func parse(_ name: String) throws -> SIPMessage {
        return try SIPMessage.parse(datagram: bytes(name))
    }

    static func text(_ bytes: [UInt8]) -> String {
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: The index

    /// One row of INDEX.md's table.
    struct Entry: CustomTestStringConvertible, Sendable {
        let name: String
        let section: String
        /// "valid" or "invalid", as RFC 4475 files the message.
        let verdict: String
        /// nil: the parser returns a message; else the status and field of its error.
        let parserError: (status: Int, field: String)?
        /// The front's answer to a registered phone's datagram; nil when it sends none.
        let frontStatus: Int?
        /// INDEX.md's notes on the message ("D1", "F2", ...): deviations and fixes.
        let note: String

        var testDescription: String { name + " (RFC 4475 §" + section + ")" }
    }

    /// INDEX.md's table: | message | section | title | RFC 4475 | parser | front | note |.
    static let index: [Entry] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("INDEX.md")) else { return [] }
        var entries: [Entry] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 7 else { continue }
            let name = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            var parserError: (Int, String)? = nil
            if cells[4] != "parses" {
                let parts = cells[4].split(separator: " ", maxSplits: 1)
                parserError = (Int(parts[0]) ?? -1, parts.count > 1 ? String(parts[1]) : "")
            }
            let front = cells[5] == "none" ? nil : Int(cells[5].prefix(3))
            entries.append(
                Entry(
                    name: name, section: cells[1], verdict: cells[3].hasPrefix("valid") ? "valid" : "invalid", parserError: parserError,
                    frontStatus: front, note: cells[6]))
        }
        return entries
    }()

    /// Every message of the RFC is in the index and in the directory, and nothing else is.
    @Test func indexCoversTheRFC() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".sip") }
        #expect(Self.index.count == 49)
        #expect(Set(files) == Set(Self.index.map { $0.name + ".sip" }))
        #expect(Set(Self.index.map { $0.name }).count == Self.index.count)
        // §3.1.1 holds the 13 valid messages, §3.1.2 the 19 invalid ones; §3.2 to §3.4 are
        // semantic tests: parsers must not fail on them unless the RFC says otherwise.
        #expect(Self.index.filter { $0.section.hasPrefix("3.1.1.") }.count == 13)
        #expect(Self.index.filter { $0.section.hasPrefix("3.1.2.") }.count == 19)
        #expect(Self.index.filter { $0.section.hasPrefix("3.1.1.") }.allSatisfy { $0.verdict == "valid" })
        #expect(Self.index.filter { $0.section.hasPrefix("3.1.2.") }.allSatisfy { $0.verdict == "invalid" })
    }

    // MARK: The parser

    /// Each message parses, or is refused with the status and field INDEX.md names. What
    /// parses writes out to a message that parses back to it (our output is canonical).
    @Test(arguments: index)
    func parserOutcome(_ entry: Entry) throws {
        let bytes = Self.bytes(entry.name)
        // A stream of these bytes never traps either (it may need Content-Length, or more).
        _ = try? SIPMessage.parse(stream: bytes)
        let message: SIPMessage
        do {
            message = try SIPMessage.parse(datagram: bytes)
        } catch {
            #expect(error.statusCode == entry.parserError?.status, "\(error.description)")
            #expect(error.field == entry.parserError?.field, "\(error.description)")
            return
        }
        #expect(entry.parserError == nil, "parsed, but INDEX.md expects \(entry.parserError.map { "\($0.status) \($0.field)" } ?? "")")
        let written = message.serialize()
        let again = try SIPMessage.parse(datagram: written)
        #expect(again == message)
        #expect(again.serialize() == written)
    }
}

// MARK: Through a SIP front

/// A SIP front of the overlay "overlay.example" with the account alice, and alice's phone
/// (`registerPhone` registers it). The overlay is played at once: Stores succeed, lookups
/// find nothing.
struct TortureFront {
    static let domain = "overlay.example"
    static let password = "alice secret"
    var front: SIPFront
    let phone = PhoneAddress(bytes: Array("192.168.1.10:5060".utf8), host: Array("192.168.1.10".utf8), port: 5060)
    var now = WallTime(secondsSince1970: 1_700_000_000)
    var cseq: UInt32 = 1

    init() throws {
        let aor = try AddressOfRecord(uri: SIPURI(user: Array("alice".utf8), host: Array(Self.domain.utf8)))
        let node = try #require(NodeId(bytes: [UInt8](repeating: 0xA1, count: 16)))
        let configuration = SIPFrontConfiguration(
            domain: Array(Self.domain.utf8), host: Array("192.168.1.1".utf8), port: 5060, nodeId: node,
            secret: [UInt8](repeating: 0x5C, count: 32),
            accounts: [SIPAccount(username: Array("alice".utf8), secret: .password(Array(Self.password.utf8)), addressOfRecord: aor)])
        front = SIPFront(configuration: configuration)
    }

    /// The front's answers to `bytes` from the phone (or `from` another address): every
    /// message it sends parses, and it sends nothing but to the phone (lookups find nothing).
    mutating func send(_ bytes: [UInt8], from source: PhoneAddress? = nil) -> [SIPMessage] {
        var answers: [SIPMessage] = []
        let phone = source ?? self.phone
        var queue = front.receive(datagram: bytes, from: phone, now: now)
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .sendToPhone(let response, let address):
                #expect(address == phone)
                do {
                    answers.append(try SIPMessage.parse(datagram: response))
                } catch {
                    Issue.record("the front sent what our parser refuses: \(error.description)")
                }
            case .storeRegistration(let store):
                queue += front.overlayStoreCompleted(storeId: store.storeId, result: .stored, now: now)
            case .lookup(let lookup):
                queue += front.overlayLookupCompleted(lookupId: lookup.lookupId, result: .notFound, now: now)
            case .log:
                break
            case let other:
                Issue.record("unexpected action \(other)")
            }
        }
        return answers
    }

    /// A REGISTER of alice's AOR from the phone, as a phone would write it.
    mutating func register(contact: String = "<sip:alice@192.168.1.10:5060>", authorization: String? = nil) -> [UInt8] {
        defer { cseq += 1 }
        var lines = [
            "REGISTER sip:" + Self.domain + " SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKreg" + String(cseq) + ";rport",
            "Max-Forwards: 70",
            "From: <sip:alice@" + Self.domain + ">;tag=a1",
            "To: <sip:alice@" + Self.domain + ">",
            "Call-ID: torture-registration",
            "CSeq: " + String(cseq) + " REGISTER",
            "Contact: " + contact,
        ]
        if let authorization { lines.append("Authorization: " + authorization) }
        lines.append("Content-Length: 0")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// Digest credentials of alice for `challenge` (RFC 2617 §3.2.2, qop=auth).
    static func credentials(_ challenge: SIPAuthentication) throws -> String {
        let name = try #require(challenge.value("algorithm"))
        let algorithm = try #require(DigestAlgorithm(name: name))
        let realm = try #require(challenge.value("realm"))
        let nonce = try #require(challenge.value("nonce"))
        let nc = "00000001"
        let uri = "sip:" + domain
        let ha1 = algorithm.ha1(username: Array("alice".utf8), realm: realm, password: Array(password.utf8))
        let response = algorithm.response(
            ha1: ha1, nonce: nonce, nonceCount: Array(nc.utf8), cnonce: Array("c0ffee".utf8), method: Array("REGISTER".utf8),
            uri: Array(uri.utf8))
        return "Digest username=\"alice\", realm=\"" + text(realm) + "\", nonce=\"" + text(nonce) + "\", uri=\"" + uri
            + "\", response=\"" + text(response) + "\", algorithm=" + text(algorithm.name) + ", qop=auth, nc=" + nc
            + ", cnonce=\"c0ffee\""
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Registers alice's phone through the digest challenge; the 200.
    mutating func registerPhone(contact: String = "<sip:alice@192.168.1.10:5060>") throws -> SIPMessage {
        let challenged = send(register(contact: contact))
        #expect(challenged.map { $0.statusCode } == [401])
        let challenge = try #require(challenged.first?.wwwAuthenticates.first)
        let answers = send(register(contact: contact, authorization: try Self.credentials(challenge)))
        #expect(answers.map { $0.statusCode } == [200])
        return try #require(answers.first)
    }

    /// OPTIONS to the front itself (RFC 3261 §11): answered 200 with Allow.
    mutating func options(_ number: Int) -> [SIPMessage] {
        let request = [
            "OPTIONS sip:" + Self.domain + " SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKopt" + String(number),
            "Max-Forwards: 70",
            "From: <sip:alice@" + Self.domain + ">;tag=o" + String(number),
            "To: <sip:" + Self.domain + ">",
            "Call-ID: torture-options-" + String(number),
            "CSeq: 1 OPTIONS",
            "Content-Length: 0",
        ]
        return send(Array((request.joined(separator: "\r\n") + "\r\n\r\n").utf8))
    }
}

// MARK: The valid messages' fields

extension SIPTortureTests {
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// §3.1.1.1: folding, LWS around every separator, compact and long names, leading zeros,
    /// unknown headers and parameters.
    @Test func wsinv() throws {
        let message = try Self.parse("wsinv")
        #expect(message.method == .invite)
        let uri = try #require(message.requestURI)
        #expect(uri.user == Self.ascii("vivekg"))
        #expect(uri.host == Self.ascii("chair-dnrc.example.com"))
        #expect(uri.parameters == [SIPParameter("unknownparam", nil)])
        #expect(message.to.displayName == nil)
        #expect(message.to.uri.user == Self.ascii("vivekg"))
        #expect(message.to.tag == Self.ascii("1918181833n"))
        #expect(message.from.displayName == Self.ascii("J Rosenberg \\\""))
        #expect(message.from.uri.user == Self.ascii("jdrosen"))
        #expect(message.from.tag == Self.ascii("98asjd8"))
        #expect(message.maxForwards == 68)
        #expect(message.callId == Self.ascii("wsinv.ndaksdj@192.0.2.1"))
        #expect(message.cseq == SIPCSeq(number: 9, method: .invite))
        #expect(message.via.map { Self.text($0.transport) } == ["UDP", "TCP", "UDP"])
        #expect(message.via.map { Self.text($0.host) } == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(message.via.map { Self.text($0.branch ?? []) } == ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"])
        #expect(!message.via[0].hasRFC3261Branch && message.via[1].hasRFC3261Branch)
        #expect(message.body.count == 150)
        // "s" is Subject, empty; unknown headers are kept as text, a fold is one SP.
        #expect(message.values(of: "Subject") == [[]])
        #expect(message.values(of: "NewFangledHeader") == [Self.ascii("newfangled value continued newfangled value")])
        #expect(message.values(of: "UnknownHeaderWithUnusualValue") == [Self.ascii(";;,,;;,;")])
        #expect(message.values(of: "Content-Type") == [Self.ascii("application/sdp")])
        #expect(message.routes.count == 1)
        #expect(message.routes.first?.uri.parameters == [SIPParameter("lr", nil), SIPParameter("unknownwith", "value"), SIPParameter("unknown-no-value", nil)])
        let contact = try #require(message.contacts.first)
        #expect(message.contacts.count == 1)
        #expect(contact.displayName == Self.ascii("Quoted string \"\""))
        #expect(contact.parameters == [SIPParameter("newparam", "newvalue"), SIPParameter("secondparam", nil), SIPParameter("q", "0.33")])
    }

    /// §3.1.1.2: token characters everywhere, a password, quoted NUL, BEL and DEL, UTF-8.
    @Test func intmeth() throws {
        let message = try Self.parse("intmeth")
        let method = "!interesting-Method0123456789_*+`.%indeed'~"
        #expect(message.method?.text == method)
        #expect(message.cseq == SIPCSeq(number: 139122385, method: try #require(SIPMethod(bytes: Self.ascii(method)))))
        let uri = try #require(message.requestURI)
        #expect(uri.user == Self.ascii("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"))
        #expect(uri.password == Self.ascii("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"))
        #expect(uri.host == Self.ascii("example.com"))
        #expect(uri.parameters.isEmpty && uri.headers.isEmpty)
        #expect(message.via.first?.branch == Self.ascii("z9hG4bK-.!%66*_+`'~"))
        let controls: [UInt8] = [0x42, 0x45, 0x4C, 0x3A, 0x07, 0x20, 0x4E, 0x55, 0x4C, 0x3A, 0x00, 0x20, 0x44, 0x45, 0x4C, 0x3A, 0x7F]
        #expect(message.to.displayName == controls)
        #expect(message.to.uri.user == Self.ascii("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"))
        #expect(message.to.uri.password == nil)
        #expect(message.from.displayName == Self.ascii("token1~` token2'+_ token3*%!.-"))
        #expect(message.from.parameters.value("fromparam''~+*_!.-%") == Self.ascii("\"работающий\""))
        #expect(message.from.tag == Self.ascii("_token~1'+`*%!-."))
        #expect(message.callId == Self.ascii("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"))
        #expect(message.maxForwards == 255)
        #expect(message.values(of: "extensionHeader-!.%*+_`'~") == [[0xEF, 0xBB, 0xBF] + Self.ascii("大停電")])
        #expect(message.body.isEmpty)
        // The control characters go out as the quoted-pairs they came in.
        let written = message.serialize()
        #expect(Self.text(written).contains("To: \"BEL:\\\u{07} NUL:\\\u{00} DEL:\\\u{7F}\" <sip:"))
    }

    /// §3.1.1.3 and §3.1.1.4: escapes are kept as written; the AOR is unescaped once.
    @Test func escapes() throws {
        let esc01 = try Self.parse("esc01")
        #expect(esc01.requestURI?.user == Self.ascii("sips%3Auser%40example.com"))
        #expect(esc01.requestURI?.host == Self.ascii("example.net"))
        #expect(esc01.to.uri.user == Self.ascii("%75se%72"))
        #expect(try AddressOfRecord(uri: esc01.to.uri).text == "user@example.com")
        #expect(esc01.from.uri.user == Self.ascii("I%20have%20spaces"))
        #expect(esc01.callId == Self.ascii("esc01.239409asdfakjkn23onasd0-3234"))
        #expect(esc01.values(of: "Content-Type") == [Self.ascii("application/sdp")])
        let contact = try #require(esc01.contacts.first?.uri)
        #expect(contact.user == Self.ascii("cal%6Cer"))
        #expect(contact.parameters == [SIPParameter("%6C%72", nil), SIPParameter("n%61me", "v%61lue%25%34%31")])
        #expect(esc01.body.count == 150)

        let escnull = try Self.parse("escnull")
        #expect(escnull.to.uri.user == Self.ascii("null-%00-null"))
        // Two distinct contacts (§3.1.1.4); an AOR with an escaped NUL is refused, not cut.
        #expect(escnull.contacts.map { $0.uri.user } == [Self.ascii("%00"), Self.ascii("%00%00")])
        #expect(throws: SIPError.self) { try AddressOfRecord(uri: escnull.to.uri) }
    }

    /// §3.1.1.5: % is no escape in a method, a display name or a header name.
    @Test func esc02() throws {
        let message = try Self.parse("esc02")
        #expect(message.method?.text == "RE%47IST%45R")
        #expect(message.method != .register)
        #expect(message.to.displayName == Self.ascii("%Z%45"))
        #expect(message.from.displayName == Self.ascii("%Z%45"))
        #expect(message.via.first?.branch == Self.ascii("z9hG4bK209%fzsnel234"))
        #expect(message.contacts.map { $0.uri.user } == [Self.ascii("alias1"), Self.ascii("alias3")])
        #expect(message.values(of: "C%6Fntact") == [Self.ascii("<sip:alias2@host2.example.com>")])
    }

    /// §3.1.1.6 to §3.1.1.10.
    @Test func displayNamesLongValuesAndTransports() throws {
        let lwsdisp = try Self.parse("lwsdisp")
        #expect(lwsdisp.from.displayName == Self.ascii("caller"))
        #expect(lwsdisp.from.tag == Self.ascii("323"))

        let longreq = try Self.parse("longreq")
        #expect(longreq.to.displayName == Self.ascii("I have a user name of " + String(repeating: "extreme", count: 10) + " proportion"))
        #expect(longreq.to.uri.port == 6000)
        #expect(longreq.to.uri.parameters.map { $0.value?.count ?? 0 } == [89, 10, 0])
        #expect(longreq.from.uri.user == Self.ascii(String(repeating: "amazinglylongcallername", count: 5)))
        #expect(longreq.from.tag == Self.ascii("12" + String(repeating: "982", count: 50) + "424"))
        #expect(longreq.from.parameters.count == 3)
        #expect(longreq.callId == Self.ascii("longreq.one" + String(repeating: "really", count: 20) + "longcallid"))
        #expect(longreq.via.count == 34)
        #expect(longreq.via.first?.host == Self.ascii("sip33.example.com"))
        #expect(longreq.via.last?.received == Self.ascii("192.0.2.5"))
        #expect(longreq.via.last?.branch == Self.ascii("very" + String(repeating: "long", count: 50) + "branchvalue"))
        let longName = "Unknown-" + String(repeating: "Long", count: 20) + "-Name"
        let long = String(repeating: "long", count: 20)
        let longValue = "unknown-" + long + "-value; unknown-" + long + "-parameter-name = unknown-" + long + "-parameter-value"
        #expect(longreq.values(of: longName) == [Self.ascii(longValue)])
        #expect(longreq.contacts.first?.uri.user == Self.ascii(String(repeating: "amazinglylongcallername", count: 5)))
        #expect(longreq.body.count == 150)

        let semiuri = try Self.parse("semiuri")
        #expect(semiuri.requestURI?.user == Self.ascii("user;par=u%40example.net"))
        #expect(semiuri.requestURI?.host == Self.ascii("example.com"))
        #expect(semiuri.requestURI?.parameters.isEmpty == true)
        #expect(semiuri.values(of: "Accept") == [Self.ascii("application/sdp, application/pkcs7-mime, multipart/mixed, multipart/signed, message/sip, message/sipfrag")])

        let transports = try Self.parse("transports")
        #expect(transports.via.map { Self.text($0.transport) } == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
        #expect(transports.callId == Self.ascii("transports.kijh4akdnaqjkwendsasfdj"))
    }

    /// §3.1.1.8: the octets after Content-Length are discarded on a datagram (RFC 3261
    /// §18.3); on a stream they are the next message.
    @Test func dblreq() throws {
        let bytes = Self.bytes("dblreq")
        let register = try SIPMessage.parse(datagram: bytes)
        #expect(register.method == .register)
        #expect(register.callId == Self.ascii("dblreq.0ha0isndaksdj99sdfafnl3lk233412"))
        #expect(register.body.isEmpty)
        #expect(register.contacts.first?.uri.user == Self.ascii("j.user"))
        let first = try #require(try SIPMessage.parse(stream: bytes))
        #expect(first.message == register)
        let second = try #require(try SIPMessage.parse(stream: Array(bytes[first.consumed...])))
        #expect(second.message.method == .invite)
        #expect(second.message.callId == Self.ascii("dblreq.0ha0isnda977644900765@192.0.2.15"))
        #expect(second.message.body.count == 150)
        // 155 octets follow the INVITE's header section, 5 more than its Content-Length: on a
        // stream they would start the next message.
        #expect(bytes.count - first.consumed - second.consumed == 5)
    }

    /// §3.1.1.11 to §3.1.1.13: a binary multipart body, a response's reason phrases.
    @Test func bodiesAndReasons() throws {
        let mpart01 = try Self.parse("mpart01")
        #expect(mpart01.method?.text == "MESSAGE")
        #expect(mpart01.body.count == 553)
        #expect(mpart01.body.contains(0x00))
        #expect(mpart01.body.suffix(22) == ArraySlice(Self.ascii("--7a9cbec02ceef655--\r\n")))
        #expect(mpart01.via.first?.responsePort == .requested)
        #expect(mpart01.values(of: "Identity").first?.count == 172)
        #expect(mpart01.values(of: "Content-Type") == [Self.ascii("multipart/mixed;boundary=7a9cbec02ceef655")])

        let unreason = try Self.parse("unreason")
        #expect(unreason.statusCode == 200)
        #expect(unreason.startLine == .response(statusCode: 200, reason: Self.ascii("= 2**3 * 5**2 но сто девяносто девять - простое")))
        #expect(unreason.body.count == 154)

        let noreason = try Self.parse("noreason")
        #expect(noreason.statusCode == 100)
        #expect(noreason.startLine == .response(statusCode: 100, reason: []))
    }

    /// §3.2 to §3.4: well-formed messages whose meaning is the test.
    @Test func semanticMessages() throws {
        #expect(try Self.parse("baddate").values(of: "Date") == [Self.ascii("Fri, 01 Jan 2010 16:00:00 EST")])
        let badbranch = try Self.parse("badbranch")
        #expect(badbranch.via.first?.branch == Self.ascii("z9hG4bK"))
        #expect(badbranch.via.first?.hasRFC3261Branch == false)
        let bext01 = try Self.parse("bext01")
        #expect(bext01.values(of: "Require") == [Self.ascii("nothingSupportsThis, nothingSupportsThisEither")])
        #expect(bext01.values(of: "Proxy-Require") == [Self.ascii("noProxiesSupportThis, norDoAnyProxiesSupportThis")])
        let invut = try Self.parse("invut")
        #expect(invut.values(of: "Content-Type") == [Self.ascii("application/unknownformat")])
        #expect(invut.body.count == 40)
        let regaut01 = try Self.parse("regaut01")
        #expect(regaut01.authorizations.count == 1)
        #expect(regaut01.authorizations.first?.isDigest == false)
        #expect(regaut01.authorizations.first?.scheme == Self.ascii("NoOneKnowsThisScheme"))
        #expect(regaut01.authorizations.first?.parameters == [SIPParameter("opaque-data", "here")])
        #expect(try Self.parse("bcast").via.map { Self.text($0.host) } == ["192.0.2.198", "255.255.255.255"])
        #expect(try Self.parse("zeromf").maxForwards == 0)
        // §3.3.12, §3.3.13: without <> the parameter is the Contact's, within them the URI's.
        let cparam01 = try #require(try Self.parse("cparam01").contacts.first)
        #expect(cparam01.uri.parameters.isEmpty)
        #expect(cparam01.parameters == [SIPParameter("unknownparam", nil)])
        let cparam02 = try #require(try Self.parse("cparam02").contacts.first)
        #expect(cparam02.uri.parameters == [SIPParameter("unknownparam", nil)])
        #expect(cparam02.parameters.isEmpty)
        // §3.3.14: the escaped header stays in the Contact's URI.
        let regescrt = try #require(try Self.parse("regescrt").contacts.first)
        #expect(regescrt.uri.headers.map { Self.text($0.name) + "=" + Self.text($0.value ?? []) } == ["Route=%3Csip:sip.example.com%3E"])
        #expect(try Self.parse("sdp01").values(of: "Accept") == [Self.ascii("text/nobodyKnowsThis")])
        // §3.4.1: no branch, no From tag, no Max-Forwards, no Content-Length (the body is the
        // rest of the datagram); an addr-spec's ";user=phone" is the To's parameter.
        let inv2543 = try Self.parse("inv2543")
        #expect(inv2543.via.first?.branch == nil)
        #expect(inv2543.from.tag == nil)
        #expect(inv2543.maxForwards == nil)
        #expect(inv2543.body.count == 105)
        #expect(inv2543.to.uri.parameters.isEmpty)
        #expect(inv2543.to.parameters == [SIPParameter("user", "phone")])
        #expect(inv2543.from.uri.parameters == [SIPParameter("user", "phone")])
        #expect(inv2543.recordRoutes.first?.uri.parameters == [SIPParameter("maddr", "ss1.example.com")])
    }

    /// §3.1.2.15 "baddn": the archive's bytes end without the empty line that ends a header
    /// section (a framing error of their own); ended, the display names are what is refused.
    @Test func baddnWithItsHeaderSectionEnded() {
        #expect(throws: SIPError.malformedFraming("no empty line after the header section")) {
            try SIPMessage.parse(datagram: Self.bytes("baddn"))
        }
        do {
            _ = try SIPMessage.parse(datagram: Self.bytes("baddn") + Self.ascii("\r\n"))
            Issue.record("baddn parsed")
        } catch {
            #expect(error.field == "From")
            #expect(error.statusCode == 400)
        }
    }
}

// MARK: Through a SIP front

extension SIPTortureTests {
    static func callId(_ bytes: [UInt8]) -> [UInt8]? {
        return (try? SIPMessage.parse(datagram: bytes))?.callId
    }

    /// Each message from a registered phone, one transaction lifetime after the other (so
    /// that no answer of an earlier message, remembered under the same branch, is replayed):
    /// the front answers as INDEX.md says, an answer is to the message sent (its Call-ID),
    /// and unless INDEX.md notes why, valid requests are not answered 400 and invalid ones
    /// get an error or nothing. Afterwards OPTIONS is still answered.
    @Test func frontAnswersEachMessage() throws {
        var front = try TortureFront()
        _ = try front.registerPhone()
        for entry in Self.index {
            front.now = front.now.adding(seconds: SIPFrontLimits.transactionSeconds + 1)
            _ = front.front.tick(now: front.now)
            let bytes = Self.bytes(entry.name)
            let answers = front.send(bytes)
            #expect(answers.count <= 1, "\(entry.name)")
            let status = answers.first?.statusCode
            #expect(status == entry.frontStatus, "\(entry.name): \(answers.first.map { Self.text($0.serialize()) } ?? "no answer")")
            if let answer = answers.first, let callId = Self.callId(bytes) {
                #expect(answer.callId == callId, "\(entry.name): the answer is another request's")
            }
            if let status, entry.verdict == "invalid" && entry.note.isEmpty {
                #expect([400, 416, 505, 513].contains(status), "\(entry.name)")
            }
            if entry.verdict == "valid" && entry.note.isEmpty {
                #expect(status != 400, "\(entry.name)")
            }
        }
        #expect(front.options(1).map { $0.statusCode } == [200])
        #expect(front.front.transactionCount == 0)
        #expect(front.front.registrationCount == 1)
    }

    /// All messages at once, each three times (a retransmitting phone), from the registered
    /// phone and from a stranger: nothing traps, whatever the front sends parses (TortureFront
    /// checks), and OPTIONS is answered after it all.
    @Test func frontSurvivesAllAtOnce() throws {
        var front = try TortureFront()
        _ = try front.registerPhone()
        let stranger = PhoneAddress(bytes: Array("192.168.1.99:5060".utf8), host: Array("192.168.1.99".utf8), port: 5060)
        var answered = 0
        for entry in Self.index {
            for _ in 0..<3 {
                answered += front.send(Self.bytes(entry.name)).count
                answered += front.send(Self.bytes(entry.name), from: stranger).count
            }
        }
        #expect(answered > 100)
        #expect(front.options(2).map { $0.statusCode } == [200])
        #expect(front.front.transactionCount == 0)
        #expect(front.front.registrationCount == 1)
    }

    /// §3.3.7, §3.3.12 to §3.3.14 at a registrar: the torture REGISTERs' Authorization and
    /// Contacts, sent for alice's AOR at the front.
    @Test func registrarSemantics() throws {
        // §3.3.7: an unknown scheme earns a challenge in a scheme we know.
        var front = try TortureFront()
        let regaut01 = try Self.parse("regaut01")
        let authorization = Self.text(try #require(regaut01.authorizations.first).bytes)
        let challenged = front.send(front.register(authorization: authorization))
        #expect(challenged.map { $0.statusCode } == [401])
        #expect(challenged.first?.wwwAuthenticates.first?.isDigest == true)

        let aor = try AddressOfRecord(uri: SIPURI(user: Self.ascii("alice"), host: Self.ascii(TortureFront.domain)))
        // §3.3.12: "unknownparam" is a contact-param, never a url-parameter of the binding.
        var first = try TortureFront()
        let ok01 = try first.registerPhone(contact: "sip:+19725552222@gw1.example.net;unknownparam")
        #expect(first.front.contacts(of: aor, now: first.now).map { $0.parameters } == [[]])
        #expect(ok01.contacts.map { $0.uri.parameters } == [[]])
        // §3.3.13: within <> it is the URI's, and stays in the binding.
        var second = try TortureFront()
        let ok02 = try second.registerPhone(contact: "<sip:+19725552222@gw1.example.net;unknownparam>")
        #expect(second.front.contacts(of: aor, now: second.now).map { $0.parameters } == [[SIPParameter("unknownparam", nil)]])
        #expect(ok02.contacts.map { $0.uri.parameters } == [[SIPParameter("unknownparam", nil)]])
        // §3.3.14: the escaped Route header stays in the contact URI.
        var third = try TortureFront()
        let ok03 = try third.registerPhone(contact: "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>")
        let route = ["Route=%3Csip:sip.example.com%3E"]
        #expect(third.front.contacts(of: aor, now: third.now).map { $0.headers.map { Self.text($0.name) + "=" + Self.text($0.value ?? []) } } == [route])
        #expect(ok03.contacts.map { $0.uri.headers.map { Self.text($0.name) + "=" + Self.text($0.value ?? []) } } == [route])
    }

    /// §3.3.5: a proxy answers 420 (Bad Extension) listing the Proxy-Require option-tags it
    /// does not support (RFC 3261 §16.3 step 5).
    @Test func proxyRequire() throws {
        var front = try TortureFront()
        _ = try front.registerPhone()
        let text = Self.text(Self.bytes("bext01")).replacingOccurrences(of: "OPTIONS sip:user@example.com", with: "OPTIONS sip:bob@" + TortureFront.domain)
        let answers = front.send(Self.ascii(text))
        #expect(answers.map { $0.statusCode } == [420])
        #expect(answers.first?.values(of: "Unsupported").isEmpty == false)
    }

    /// RFC 3261 §17.2.3: a request matches a server transaction by branch, sent-by and
    /// method. Many RFC 4475 requests share the branch z9hG4bKkdjuw with other sent-by
    /// values: each is a transaction of its own.
    @Test func sameBranchOtherSentBy() throws {
        var front = try TortureFront()
        _ = try front.registerPhone()
        #expect(front.send(Self.bytes("esc01")).map { $0.callId } == [Self.ascii("esc01.239409asdfakjkn23onasd0-3234")])
        let answers = front.send(Self.bytes("baddate"))
        #expect(answers.map { $0.callId } == [Self.ascii("baddate.239423mnsadf3j23lj42--sedfnm234")])
    }
}
