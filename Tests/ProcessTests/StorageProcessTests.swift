import Crypto
import Foundation
import Reload
import Signing
import Testing
import TestSupport

/// Records on a real overlay (RFC 6940 §7, §8, §10.4, §10.7): `p2psip` storage commands and
/// batches through the control sockets of `p2psip peer` processes with LMDB stores. 100
/// enrolled users write 1,000 records through random peers, each as a RELOAD client signing its
/// own requests; access control, replay, tampering and quota are refused with the RFC's errors;
/// the records survive kill -9 of two of every three consecutive peers and their restarts.
@Suite(.serialized) struct StorageProcessTests {
    static let overlay = "testnet.p2psip"
    static let userCount = 100
    /// USER-DATA entries per user; with the SIP registration, 10 records per user.
    static let entriesPerUser = 9
    /// The per-user quota the peers run with: each user's 10 records, and one more.
    static let quota = 11

    /// A testnet board: x86_64-dev with the quota above.
    static func board(in directory: URL) throws -> String {
        let shown = try Tool.p2psip(["config", "show", "x86_64-dev"], in: directory)
        let text = shown.output.split(separator: "\n").filter { !$0.hasPrefix("user-quota-records") }.joined(separator: "\n")
        let file = directory.appendingPathComponent("quota.conf")
        try (text + "\nuser-quota-records = \(quota)\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// A user's Node-ID (hex) from the certificate `p2psip enroll` wrote.
    static func nodeId(identity: String) throws -> String {
        let pem = try [UInt8](Data(contentsOf: URL(fileURLWithPath: identity + "/cert.pem")))
        let certificate = try Certificate(der: try PEM.decodeAll(pem, label: "CERTIFICATE")[0])
        let nodeIds = try certificate.reloadIdentity(overlay: overlay, nodeIdLength: 16).nodeIds
        return nodeIds[0].map { String(format: "%02x", $0) }.joined()
    }

    /// What each user's records should be: USER-DATA key → value, and the SIP registrations
    /// (Node-ID hex → value) at the user's resource.
    struct Expected {
        var data: [Int: [String: String]] = [:]
        var registrations: [Int: [String: String]] = [:]
        var count: Int { data.values.reduce(0) { $0 + $1.count } + registrations.values.reduce(0) { $0 + $1.count } }
    }

    static func userName(_ user: Int) -> String { "user\(user)@\(overlay)" }

    /// §10.2: the first 16 bytes of SHA-1, in hex.
    static func resourceHex(_ name: String) -> String {
        return SHA1.hash(Array(name.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// §8: CERTIFICATE_BY_NODE of a Node-ID (hex) lives at H(Node-ID).
    static func certificateResourceHex(_ nodeId: String) -> String {
        var bytes: [UInt8] = []
        var index = nodeId.startIndex
        while index < nodeId.endIndex {
            let next = nodeId.index(index, offsetBy: 2)
            bytes.append(UInt8(nodeId[index..<next], radix: 16)!)
            index = next
        }
        return SHA1.hash(bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// "key K: V  (lifetime ...)" entries of a `get` answer (batch output: tab-separated lines).
    static func entries(_ text: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for field in text.split(separator: "\t") {
            let line = field.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("key "), let colon = line.range(of: ": ") else { continue }
            let key = String(line[line.index(line.startIndex, offsetBy: 4)..<colon.lowerBound])
            let rest = line[colon.upperBound...]
            let value = rest.range(of: "  (lifetime").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
            found[key, default: []].append(value)
        }
        return found
    }

    /// Fetches every user's USER-DATA and SIP-REGISTRATION through each of `readers` and
    /// returns what differs from `expected`: missing, stale, extra or duplicate values.
    func problems(_ net: TestnetProcess, readers: [Int], _ expected: Expected) -> [String] {
        var lines: [String] = []
        var asked: [(user: Int, registration: Bool)] = []
        for user in 1...Self.userCount {
            lines.append("get \(Self.userName(user)) USER-DATA")
            asked.append((user, false))
            lines.append("get \(Self.userName(user)) SIP-REGISTRATION")
            asked.append((user, true))
        }
        var found: [String] = []
        let results = net.batches(Dictionary(uniqueKeysWithValues: readers.map { ($0, lines) }))
        for reader in readers {
            let answers = results[reader] ?? [:]
            for (position, question) in asked.enumerated() {
                guard let answer = answers[position + 1], answer.status == 0 else {
                    found.append("peer \(reader) user\(question.user): \(answers[position + 1].map { "\($0.status) \($0.text)" } ?? "no answer")")
                    continue
                }
                var got = Self.entries(answer.text)
                if question.registration {
                    // Keys of binary dictionary entries print as 0x + hex.
                    got = Dictionary(uniqueKeysWithValues: got.map { (String($0.key.dropFirst(2)), $0.value) })
                }
                let want = (question.registration ? expected.registrations[question.user] : expected.data[question.user]) ?? [:]
                if got.mapValues({ $0.count }).values.contains(where: { $0 > 1 }) || got.mapValues({ $0[0] }) != want {
                    let responder = answer.text.split(separator: "\t").first.map(String.init) ?? ""
                    found.append("peer \(reader) user\(question.user) \(question.registration ? "SIP-REGISTRATION" : "USER-DATA") (\(responder)): got \(got) want \(want)")
                }
            }
        }
        return found
    }

    /// `p2psip` with a control socket, checked: status and output in failure messages.
    func run(_ net: TestnetProcess, _ peer: Int, _ words: [String]) throws -> ProcessOutput {
        return try net.control(peer, words)
    }

    /// A signed request (`put --output`) whose value has one byte flipped after the value was
    /// signed, the message signed again by the same user: only the value's signature betrays it.
    static func flipValueByte(_ file: URL, identity: String) throws {
        let hex = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        var kinds = KindTable()
        _ = kinds.add(KindId(0xF000_0001), .dictionary)
        var message = try Message.decode(bytes, CodecConfiguration(nodeIdLength: 16, maxMessageSize: 5000, kinds: kinds))
        guard case .storeRequest(var request) = message.contents.body, var values = request.kindData.first?.values.values,
            case .dictionary(var entry) = values[0].value
        else { throw ProcessFailure("not a USER-DATA StoreReq") }
        entry.value.value[0] ^= 0x01
        values[0].value = .dictionary(entry)
        request.kindData[0].values = .known(values)
        message.contents.body = .storeRequest(request)
        let key = try PrivateKey(encoded: [UInt8](Data(contentsOf: URL(fileURLWithPath: identity + "/key.pem"))))
        try message.sign(
            key: key, identity: message.securityBlock.signature.identity, certificates: message.securityBlock.certificates,
            random: try RandomGenerator(source: .operatingSystem))
        let encoded = try message.encode().map { String(format: "%02x", $0) }.joined()
        try (encoded + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
}
