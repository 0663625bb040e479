import Foundation
import Testing
import TestSupport

extension StorageProcessTests {
    /// 10 peers and 100 users: 1,000 records through random peers (each user signs its own
    /// requests, §3.2.1, §7.3), fetchable and verified from every peer; another user's writes
    /// and a peer's own are Error_Forbidden, two devices of one user hold their own entries in
    /// the user's SIP-REGISTRATION dictionary (USER-NODE-MATCH, §7.3.3), a flipped value byte
    /// is Error_Forbidden, a user over quota Error_Data_Too_Large, a replayed StoreReq
    /// Error_Data_Too_Old; CERTIFICATE_BY_NODE of each peer (§8). Then kill -9 of two of every
    /// three consecutive peers, in turn, each time waiting until every record is on three live
    /// peers again (§10.4, §10.7.3), and the restart of all killed peers one after the other:
    /// every record fetchable from every peer, no value stale or twice. Prints the times.
    @Test func thousandRecordsOfAHundredUsersThroughChurnAndRestarts() throws {
        let began = Date()
        let scratch = try TemporaryDirectory("p2psip-board")
        defer { scratch.remove() }
        let net = try TestnetProcess(
            "records", peers: 10, users: Self.userCount, basePort: TestnetProcess.basePort(5), config: try Self.board(in: scratch.url),
            seconds: 400)
        defer { net.down() }
        let all = Array(0..<10)
        let formed = TestnetProcess.wait(seconds: 90) { net.ringIsRight(all) }
        try #require(formed != nil, "ring: \(net.describe(all))")
        print("records: testnet of 10 peers and 100 users up in \(Self.seconds(since: began)) s")
        var random = SeededRandom(seed: 6)
        try certificatesOfThePeers(net)
        let capture = try captureAStore(net)

        var expected = Expected()
        var nodeIds: [Int: String] = [:]
        var work: [Int: [String]] = [:]
        for user in 1...Self.userCount {
            let identity = net.users[user - 1]
            nodeIds[user] = try Self.nodeId(identity: identity)
            for entry in 0..<Self.entriesPerUser {
                let value = "u\(user)-k\(entry)-v1"
                expected.data[user, default: [:]]["k\(entry)"] = value
                work[random.remainder(below: 10), default: []].append("put \(Self.userName(user)) USER-DATA --key k\(entry) \(value) --identity \(identity)")
            }
            let contact = "sip:user\(user)@127.0.0.1:5060"
            expected.registrations[user] = [nodeIds[user]!: contact]
            work[random.remainder(below: 10), default: []].append(
                "put \(Self.userName(user)) SIP-REGISTRATION --key 0x\(nodeIds[user]!) \(contact) --identity \(identity)")
        }
        var started = Date()
        let (stored, sentAgain) = Self.storeAll(net, work)
        if sentAgain > 0 { print("records: \(sentAgain) Stores answered 'try again later' or unanswered under load were sent again") }
        let failures = stored.flatMap { peer, answers in answers.filter { $0.value.status != 0 }.map { "peer \(peer) line \($0.key): \($0.value.text)" } }
        #expect(stored.values.reduce(0) { $0 + $1.count } == expected.count && failures.isEmpty, "\(failures.prefix(10))")
        print("records: \(expected.count) records stored through 10 peers in \(Self.seconds(since: started)) s")
        started = Date()
        let missing = problems(net, readers: all, expected)
        #expect(missing.isEmpty, "\(missing.count) problems: \(missing.prefix(10))")
        print("records: all \(expected.count) fetched and verified from each of 10 peers in \(Self.seconds(since: started)) s")

        try refusals(net, &expected, nodeIds: nodeIds)
        try replay(net, capture)
        try churnAndRestarts(net, &expected, random: &random)
        print("records: whole test \(Self.seconds(since: began)) s")
    }

    /// The lines of `work` through their peers (`TestnetProcess.batches`); lines refused with
    /// Error_Request_Timeout ("try again later": a peer shedding load, RFC 6940 §6.3.3.1) or
    /// left without an answer are sent again one at a time after a pause, as a client would,
    /// at most 3 rounds. Returns every line's last result and how many were sent again.
    static func storeAll(_ net: TestnetProcess, _ work: [Int: [String]]) -> ([Int: [Int: (status: Int, text: String)]], Int) {
        var results = net.batches(work)
        var sentAgain = 0
        for _ in 0..<3 {
            var again: [Int: [Int]] = [:]
            for (peer, answers) in results {
                for (line, answer) in answers where answer.status != 0
                    && (answer.text.contains("Error_Request_Timeout") || answer.text.contains("no answer after")) {
                    again[peer, default: []].append(line)
                }
            }
            guard !again.isEmpty else { break }
            Thread.sleep(forTimeInterval: 2)
            for (peer, lines) in again {
                let sorted = lines.sorted()
                sentAgain += sorted.count
                guard let answers = try? net.batch(peer, sorted.map { work[peer]![$0 - 1] }, inFlight: 1) else { continue }
                for (position, line) in sorted.enumerated() {
                    if let answer = answers[position + 1] { results[peer]?[line] = answer }
                }
            }
        }
        return (results, sentAgain)
    }

    static func seconds(since date: Date) -> String { String(format: "%.1f", Date().timeIntervalSince(date)) }

    /// §8: every peer stored its certificate at H(its Node-ID); another peer fetches it.
    func certificatesOfThePeers(_ net: TestnetProcess) throws {
        let published = TestnetProcess.wait(seconds: 30) {
            (0..<10).allSatisfy { index in
                let storage = (net.status(index)?["counters"] as? [String: Any])?["storage"] as? [String: Any]
                return (storage?["certificate_publications"] as? Int ?? 0) >= 1
            }
        }
        #expect(published != nil, "not every peer stored its certificate")
        let certificate = try net.control(3, ["get", net.peers[7].nodeId, "CERTIFICATE_BY_NODE"])
        #expect(certificate.status == 0 && certificate.output.contains("certificate of peer7@\(Self.overlay)"), "\(certificate.output) \(certificate.error)")
    }

    /// user7 signs a Store of k0 (`--output`) and sends it: the capture an attacker would replay.
    func captureAStore(_ net: TestnetProcess) throws -> (file: URL, sent: Date) {
        let file = net.directory.appendingPathComponent("captured.hex")
        let signed = try net.control(0, ["put", Self.userName(7), "USER-DATA", "--key", "k0", "u7-k0-old", "--identity", net.users[6], "--output", file.path])
        #expect(signed.status == 0, "\(signed.error)")
        let sent = try net.control(1, ["send", file.path])
        #expect(sent.status == 0 && sent.output.contains("stored at"), "\(sent.output) \(sent.error)")
        return (file, Date())
    }

    /// Access control, tampering and quota, each refused with the RFC's error; what is allowed
    /// goes into `expected`.
    func refusals(_ net: TestnetProcess, _ expected: inout Expected, nodeIds: [Int: String]) throws {
        let user1 = Self.userName(1), user2 = net.users[1]
        // §7.3.1: user2 may not write or remove user1's records, nor may a peer signing itself.
        for words in [["put", user1, "USER-DATA", "--key", "k0", "evil", "--identity", user2],
                      ["remove", user1, "USER-DATA", "--key", "k1", "--identity", user2],
                      ["put", user1, "USER-DATA", "--key", "k0", "evil"]] {
            let refused = try net.control(4, words)
            #expect(refused.status == 1 && refused.error.contains("Error_Forbidden"), "\(words): \(refused.output) \(refused.error)")
        }
        // §7.3.3 USER-NODE-MATCH: user1's second device holds its own entry in the shared
        // dictionary, and may not overwrite the first device's.
        let phone = net.directory.appendingPathComponent("user1-phone").path
        let enrolled = try Tool.p2psip(
            ["enroll", "--server", "https://127.0.0.1:\(net.basePort)", "--user", "user1", "--password-file", net.net.appendingPathComponent("password").path,
             "--dir", phone, "--root-cert", net.net.appendingPathComponent("ca/root-cert.pem").path], in: net.directory)
        try #require(enrolled.status == 0, "\(enrolled.error)")
        let phoneId = try Self.nodeId(identity: phone)
        let own = try net.control(5, ["put", user1, "SIP-REGISTRATION", "--key", "0x" + phoneId, "sip:user1-phone@127.0.0.1:5062", "--identity", phone])
        #expect(own.status == 0, "\(own.error)")
        expected.registrations[1]?[phoneId] = "sip:user1-phone@127.0.0.1:5062"
        for (key, identity) in [(nodeIds[1]!, phone), (phoneId, user2)] {
            let refused = try net.control(6, ["put", user1, "SIP-REGISTRATION", "--key", "0x" + key, "sip:hijack@127.0.0.1", "--identity", identity])
            #expect(refused.status == 1 && refused.error.contains("Error_Forbidden"), "\(refused.output) \(refused.error)")
        }
        // §7.1: one flipped byte of a value, in a request that is otherwise well signed.
        let tampered = net.directory.appendingPathComponent("tampered.hex")
        _ = try net.control(0, ["put", Self.userName(3), "USER-DATA", "--key", "k0", "u3-k0-tampered", "--identity", net.users[2], "--output", tampered.path])
        try Self.flipValueByte(tampered, identity: net.users[2])
        let flipped = try net.control(7, ["send", tampered.path])
        #expect(flipped.status == 1 && flipped.error.contains("Error_Forbidden") && flipped.error.contains("signature"), "\(flipped.output) \(flipped.error)")
        // §13.5.2: user100 holds 10 records; the 11th fits the quota, the 12th does not.
        let user100 = Self.userName(100), identity100 = net.users[99]
        let eleventh = try net.control(8, ["put", user100, "USER-DATA", "--key", "extra1", "fits", "--identity", identity100])
        #expect(eleventh.status == 0, "\(eleventh.error)")
        expected.data[100]?["extra1"] = "fits"
        let twelfth = try net.control(9, ["put", user100, "USER-DATA", "--key", "extra2", "over", "--identity", identity100])
        #expect(twelfth.status == 1 && twelfth.error.contains("Error_Data_Too_Large"), "\(twelfth.output) \(twelfth.error)")
    }

    /// The captured StoreReq again, once the storing peer's answer cache (15 s, §6.2.1) has
    /// forgotten it: refused as too old; the newer value stays (checked with everything else).
    func replay(_ net: TestnetProcess, _ capture: (file: URL, sent: Date)) throws {
        let wait = 16 - Date().timeIntervalSince(capture.sent)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let replayed = try net.control(2, ["send", capture.file.path])
        #expect(replayed.status == 1 && replayed.error.contains("Error_Data_Too_Old"), "\(replayed.output) \(replayed.error)")
    }
}
