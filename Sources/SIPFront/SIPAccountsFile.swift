import Crypto
import SIP

/// The SIP accounts file of a peer (`p2psip peer --sip-accounts FILE`): one account per line,
///
///     # comment
///     alice   correct horse battery staple
///
/// USER, blanks, then the PASSWORD: the rest of the line, trailing blanks removed. USER is the
/// digest user name a phone authenticates with (RFC 3261 §22) and the user of the account's
/// address of record sip:USER@OVERLAY (RFC 7904 §2), which the account alone may register
/// (RFC 3261 §10.3 step 6). Blank lines and lines whose first non-blank is `#` are skipped;
/// CRLF is fine. Errors name the line; nothing in the file is trusted to be well formed.
public enum SIPAccountsFile {
    public struct Entry: Sendable {
        public let account: SIPAccount
        /// Its line in the file (from 1), for the peer's own checks.
        public let line: Int
    }

    /// What is wrong, and where.
    public struct Problem: Error, Equatable, Sendable {
        public let line: Int
        public let reason: String

        /// "FILE:LINE: reason"
        public func description(file: String) -> String {
            return line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)"
        }
    }

    /// The largest accounts file read, and the longest line and password in it.
    public static let maximumFileBytes = 64 * 1024
    public static let maximumLineBytes = 1024
    public static let maximumPasswordBytes = 128

    /// Parses the file for the overlay `domain` (its instance name).
    public static func parse(_ bytes: [UInt8], domain: [UInt8]) throws(Problem) -> [Entry] {
        guard bytes.count <= maximumFileBytes else { throw Problem(line: 0, reason: "larger than \(maximumFileBytes) bytes") }
        var entries: [Entry] = []
        var number = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.count <= maximumLineBytes else { throw Problem(line: number, reason: "line longer than \(maximumLineBytes) bytes") }
            let text = trimmed(line)
            if text.isEmpty || text[0] == UInt8(ascii: "#") { continue }
            let account = try parseLine(text, number, domain: domain)
            if entries.contains(where: { $0.account.username == account.username }) {
                throw Problem(line: number, reason: "user '\(String(decoding: account.username, as: UTF8.self))' appears twice")
            }
            guard entries.count < SIPFrontLimits.accountCapacity else {
                throw Problem(line: number, reason: "more than \(SIPFrontLimits.accountCapacity) accounts")
            }
            entries.append(Entry(account: account, line: number))
        }
        return entries
    }

    static func parseLine(_ text: [UInt8], _ number: Int, domain: [UInt8]) throws(Problem) -> SIPAccount {
        guard text.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 < 0x7F) }) else {
            throw Problem(line: number, reason: "only printable ASCII is allowed (user names and passwords)")
        }
        guard let blank = text.firstIndex(where: isBlank) else {
            throw Problem(line: number, reason: "expected 'USER PASSWORD', found no password")
        }
        let user = Array(text[..<blank])
        let password = trimmed(Array(text[blank...]))
        guard !password.isEmpty, password.count <= maximumPasswordBytes else {
            throw Problem(line: number, reason: "the password is 1 to \(maximumPasswordBytes) characters")
        }
        let addressOfRecord: AddressOfRecord
        do throws(SIPError) {
            addressOfRecord = try AddressOfRecord(uri: SIPURI(user: user, host: domain), field: "USER")
        } catch {
            throw Problem(line: number, reason: "user '\(String(decoding: user, as: UTF8.self))' cannot be an address of record here (letters, digits and ._%+- only)")
        }
        guard user.count <= SIPLimits.maximumDigestValueBytes, !user.contains(UInt8(ascii: "%")) else {
            throw Problem(line: number, reason: "user '\(String(decoding: user, as: UTF8.self))': no escapes in a digest user name")
        }
        return SIPAccount(username: user, secret: .password(password), addressOfRecord: addressOfRecord)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return [] }
        return Array(bytes[first...last])
    }
}
