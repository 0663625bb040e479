import Reload
import SIP
import Testing

@testable import SIPFront

/// The accounts file of `p2psip peer --sip-accounts`: accounts parsed with their lines, and
/// every malformed line refused with its number and a reason.
@Suite struct AccountsFileTests {
    static let domain = Array("testnet.p2psip".utf8)

    func parse(_ text: String) throws(SIPAccountsFile.Problem) -> [SIPAccountsFile.Entry] {
        return try SIPAccountsFile.parse(Array(text.utf8), domain: Self.domain)
    }

    @Test func accountsWithTheirLines() throws {
        let entries = try parse("# phones of this peer\r\n\nalice  correct horse battery staple  \r\n\t# indented comment\nbob\tb0b.pass\n")
        #expect(entries.map { $0.line } == [3, 5])
        #expect(entries.map { String(decoding: $0.account.username, as: UTF8.self) } == ["alice", "bob"])
        #expect(entries.map { $0.account.addressOfRecord.text } == ["alice@testnet.p2psip", "bob@testnet.p2psip"])
        guard case .password(let password) = entries[0].account.secret else {
            Issue.record("a password account")
            return
        }
        #expect(password == Array("correct horse battery staple".utf8))
        #expect(try parse("").isEmpty && (try parse("# nothing\n\n")).isEmpty)
    }

    @Test func problemsNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("alice\n", 1, "no password"),
            ("alice secret\n  bob   \n", 2, "no password"),
            ("alice one\nalice two\n", 2, "twice"),
            ("al!ce secret\n", 1, "cannot be an address of record"),
            ("a@b secret\n", 1, "cannot be an address of record"),
            ("alice pass\u{7F}word\n", 1, "printable"),
            ("\n\nalice " + String(repeating: "p", count: 129) + "\n", 3, "1 to 128"),
            ("alice " + String(repeating: "p", count: 1100) + "\n", 1, "longer than"),
            ("al%41ce secret\n", 1, "no escapes"),
        ]
        for (text, line, reason) in cases {
            do throws(SIPAccountsFile.Problem) {
                _ = try parse(text)
                Issue.record("accepted: \(text.debugDescription)")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
                #expect(error.reason.contains(reason), "\(text.debugDescription): \(error.reason)")
                #expect(error.description(file: "accounts").hasPrefix("accounts:\(line): "))
            }
        }
        var many = ""
        for index in 0...SIPFrontLimits.accountCapacity { many += "user\(index) secret\n" }
        #expect(throws: SIPAccountsFile.Problem(line: SIPFrontLimits.accountCapacity + 1, reason: "more than \(SIPFrontLimits.accountCapacity) accounts")) {
            try parse(many)
        }
        #expect(throws: SIPAccountsFile.Problem(line: 0, reason: "larger than \(SIPAccountsFile.maximumFileBytes) bytes")) {
            try SIPAccountsFile.parse([UInt8](repeating: 0x23, count: SIPAccountsFile.maximumFileBytes + 1), domain: Self.domain)
        }
    }
}
