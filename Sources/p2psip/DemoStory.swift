import Platform
import SIP
import SIPFront
import Wire

/// What `p2psip demo` shows: alice's and bob's phones register at their peers and alice
/// calls bob, each step with what the phones sent and received and what every peer did (its
/// `sip-events`, Node-IDs replaced by the peers' names), so the route of the INVITE through
/// the overlay can be read off.
struct DemoStory {
    let network: TestnetCommand.Network
    let directory: String
    let domain: String
    /// The last event number printed, per peer.
    var seen: [UInt64]

    init(network: TestnetCommand.Network, directory: String, domain: String) {
        self.network = network
        self.directory = directory
        self.domain = domain
        seen = Array(repeating: 0, count: network.peers.count)
    }

    mutating func tell() throws(CommandFailure) {
        Console.out("")
        Console.out("The overlay \(domain): \(network.peers.count) peers, each a process with its own certificate, and a SIP front for its user:")
        for peer in network.peers {
            Console.out("  \(peer.name)'s peer  Node-ID \(peer.nodeId)  overlay 127.0.0.1:\(peer.port)  phones register at \(peer.sip ?? "-")")
        }
        _ = newEvents()
        let alicePeer = network.peers[0]
        let bobPeer = network.peers[1]
        let bob = try phone(bobPeer)
        let alice = try phone(alicePeer)
        try register(bob, at: bobPeer, step: 1)
        try register(alice, at: alicePeer, step: 2)
        Console.out("")
        Console.out("3. alice calls sip:bob@\(domain) (her phone knows only her peer):")
        var call = DemoCall(from: alice, to: bob)
        let failure = call.run()
        ChildProcess.sleep(milliseconds: 300)
        show(alice.transcript + bob.transcript, title: "the phones")
        show(newEvents(), title: "the peers")
        if let failure { throw .failed("the call failed: \(failure) (see \(directory)/peerN/peer.log)") }
        Console.out("")
        Console.out("The call: INVITE to 200 OK in \(call.setupMilliseconds ?? 0) ms. Its route: alice's phone -> alice's peer (Fetch of")
        Console.out("  SIP-REGISTRATION for bob@\(domain) in the overlay -> bob's peer; AppAttach routed to it; a DTLS connection")
        Console.out("  between the two peers) -> bob's peer -> bob's phone. ACK and BYE followed the Record-Route of both peers.")
    }

    func phone(_ peer: TestnetCommand.Peer) throws(CommandFailure) -> DemoPhone {
        guard let text = peer.sip, let proxy = SocketAddress.parse(text), let password = peer.sipPassword else {
            throw .failed("\(peer.name)'s peer has no SIP front")
        }
        return try DemoPhone(user: peer.name, password: password, domain: domain, proxy: proxy)
    }

    mutating func register(_ phone: DemoPhone, at peer: TestnetCommand.Peer, step: Int) throws(CommandFailure) {
        Console.out("")
        Console.out("\(step). \(phone.user)'s phone (127.0.0.1:\(phone.address.port)) registers sip:\(phone.user)@\(domain) at \(peer.name)'s peer (\(peer.sip ?? "?")):")
        let status = phone.register(expires: 3600)
        ChildProcess.sleep(milliseconds: 200)
        show(phone.transcript, title: "the phone")
        phone.transcript = []
        show(newEvents(), title: "the peers")
        guard status == 200 else { throw .failed("\(phone.user)'s REGISTER was answered \(status) (see \(peer.directory)/peer.log)") }
    }

    func show(_ lines: [String], title: String) {
        guard !lines.isEmpty else { return }
        Console.out("   \(title):")
        for line in lines { Console.out("     " + line) }
    }

    /// New events of every peer, in time order, as "NAME's peer: TEXT".
    mutating func newEvents() -> [String] {
        var events: [(time: UInt64, text: String)] = []
        for (index, peer) in network.peers.enumerated() {
            let (status, lines) = ControlClient.request("sip-events", path: peer.control)
            guard status == 0 else { continue }
            for line in lines {
                let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard words.count == 3, let number = UInt64(words[0]), let time = UInt64(words[1]), number > seen[index] else { continue }
                seen[index] = number
                events.append((time, "\(peer.name)'s peer: " + named(String(words[2]))))
            }
        }
        return events.sorted { $0.time < $1.time }.map { $0.text }
    }

    /// The text with every peer's Node-ID replaced by "NAME's peer".
    func named(_ text: String) -> String {
        var result = text
        for peer in network.peers where !peer.nodeId.isEmpty {
            result = DemoStory.replace(peer.nodeId, with: "\(peer.name)'s peer", in: result)
        }
        return result
    }

    static func replace(_ target: String, with replacement: String, in text: String) -> String {
        let bytes = Array(text.utf8)
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return text }
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count && Array(bytes[index..<(index + pattern.count)]) == pattern {
                output += Array(replacement.utf8)
                index += pattern.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
