import Foundation
import Crypto
import Reload
import SIP
import Testing
import Wire

@testable import SIPFront

/// Test fixtures: accounts, phones and two fronts wired through a fake overlay that stores
/// SIP-REGISTRATION values, answers lookups and carries SIP messages between peers.
enum Fixture {
    static let domain = "overlay.example"
    static let nodeA = NodeId(bytes: [UInt8](repeating: 0xA1, count: 16))!
    static let nodeB = NodeId(bytes: [UInt8](repeating: 0xB2, count: 16))!
    static let passwords = ["alice": "alice secret", "bob": "bob secret", "carol": "carol secret"]

    static func aor(_ user: String) -> AddressOfRecord {
        return try! AddressOfRecord(uri: SIPURI(user: Array(user.utf8), host: Array(domain.utf8)))
    }

    static func account(_ user: String, ha1: Bool = false) -> SIPAccount {
        let password = Array(passwords[user]!.utf8)
        let secret: DigestSecret = ha1
            ? .ha1(.sha256, DigestAlgorithm.sha256.ha1(username: Array(user.utf8), realm: Array(domain.utf8), password: password))
            : .password(password)
        return SIPAccount(username: Array(user.utf8), secret: secret, addressOfRecord: aor(user))
    }

    /// Both fronts have the same LAN address, as two home routers would: our Record-Route is
    /// told apart by its Node-ID only.
    static func front(_ node: NodeId, users: [String], registrationCapacity: Int = 64) -> SIPFront {
        let configuration = SIPFrontConfiguration(
            domain: Array(domain.utf8), host: Array("192.168.1.1".utf8), port: 5060, nodeId: node,
            secret: Array(node.bytes + node.bytes), accounts: users.map { account($0, ha1: $0 == "bob") },
            registrationCapacity: registrationCapacity)
        return SIPFront(configuration: configuration)
    }
}

/// A phone: a SIP user agent written by hand, as much as the tests need.
struct Phone {
    let user: String
    let address: PhoneAddress
    var password: String
    var cseq: UInt32 = 1
    var branchCounter = 0

    init(_ user: String, host: String, port: UInt16 = 5060) {
        self.user = user
        self.address = PhoneAddress(bytes: Array((host + ":" + String(port)).utf8), host: Array(host.utf8), port: port)
        self.password = Fixture.passwords[user] ?? "none"
    }

    var host: String { String(decoding: address.host, as: UTF8.self) }
    var contact: String { "sip:" + user + "@" + host + ":" + String(address.port) }
    var aor: String { "sip:" + user + "@" + Fixture.domain }

    mutating func branch() -> String {
        branchCounter += 1
        return "z9hG4bK" + user + String(branchCounter) + "x" + String(cseq)
    }

    /// A request as text lines; Content-Length is added.
    mutating func request(
        _ method: String, _ uri: String, to: String, toTag: String? = nil, callId: String, fromTag: String = "ftag",
        cseq: UInt32? = nil, branch: String? = nil, routes: [String] = [], headers: [String] = [], body: String = ""
    ) -> [UInt8] {
        let number = cseq ?? self.cseq
        var lines = [
            method + " " + uri + " SIP/2.0",
            "Via: SIP/2.0/UDP " + host + ":" + String(address.port) + ";branch=" + (branch ?? self.branch()) + ";rport",
            "Max-Forwards: 70",
            "From: <" + aor + ">;tag=" + fromTag,
            "To: <" + to + ">" + (toTag.map { ";tag=" + $0 } ?? ""),
            "Call-ID: " + callId,
            "CSeq: " + String(number) + " " + method,
            "Contact: <" + contact + ">",
        ]
        lines += routes.map { "Route: " + $0 }
        lines += headers
        lines.append("Content-Length: " + String(body.utf8.count))
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    /// REGISTER for the phone's own AOR, with credentials for `challenge` when given.
    mutating func register(
        callId: String = "reg-call", expires: String? = nil, contact: String? = nil, challenge: SIPAuthentication? = nil,
        password: String? = nil, nonceCount: UInt32 = 1
    ) -> [UInt8] {
        defer { cseq += 1 }
        var headers: [String] = []
        if let expires { headers.append("Expires: " + expires) }
        if let challenge {
            headers.append("Authorization: " + Phone.credentials(user, password ?? self.password, challenge, count: nonceCount))
        }
        var bytes = request("REGISTER", "sip:" + Fixture.domain, to: aor, callId: callId, headers: headers)
        if let contact {
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Contact: <" + self.contact + ">", with: "Contact: " + contact)
            bytes = Array(text.utf8)
        }
        return bytes
    }

    /// What a phone writes in Authorization for a challenge (RFC 2617 §3.2.2, qop=auth).
    static func credentials(_ user: String, _ password: String, _ challenge: SIPAuthentication, count: UInt32) -> String {
        let algorithm = DigestAlgorithm(name: challenge.value("algorithm")!)!
        let nonce = challenge.value("nonce")!
        let nc = Array(String(format: "%08x", count).utf8)
        let uri = "sip:" + Fixture.domain
        let ha1 = algorithm.ha1(username: Array(user.utf8), realm: challenge.value("realm")!, password: Array(password.utf8))
        let response = algorithm.response(
            ha1: ha1, nonce: nonce, nonceCount: nc, cnonce: Array("c0ffee".utf8), method: Array("REGISTER".utf8), uri: Array(uri.utf8))
        return "Digest username=\"" + user + "\", realm=\"" + String(decoding: challenge.value("realm")!, as: UTF8.self) + "\", nonce=\""
            + String(decoding: nonce, as: UTF8.self) + "\", uri=\"" + uri + "\", response=\"" + String(decoding: response, as: UTF8.self)
            + "\", algorithm=" + String(decoding: algorithm.name, as: UTF8.self) + ", qop=auth, nc=" + String(decoding: nc, as: UTF8.self)
            + ", cnonce=\"c0ffee\""
    }
}

/// The fake overlay: a dictionary store for SIP-REGISTRATION, lookups answered from it,
/// messages between fronts delivered at once, and every phone's inbox.
struct Overlay {
    var fronts: [NodeId: SIPFront] = [:]
    var store: [[UInt8]: [NodeId: SipRegistration]] = [:]
    var inbox: [PhoneAddress: [SIPMessage]] = [:]
    var overlayMessages = 0
    var lookups = 0
    var now = WallTime(secondsSince1970: 1_700_000_000)
    var lookupResult: RegistrationLookupResult? = nil
    var unreachable: Set<NodeId> = []
    var logs: [String] = []

    init(_ fronts: [SIPFront]) {
        for front in fronts { self.fronts[front.configuration.nodeId] = front }
    }

    mutating func phone(_ phone: Phone, sends bytes: [UInt8], to node: NodeId) {
        let actions = fronts[node]!.receive(datagram: bytes, from: phone.address, now: now)
        run(actions, at: node)
    }

    mutating func tick(_ node: NodeId) {
        run(fronts[node]!.tick(now: now), at: node)
    }

    /// Takes the messages a phone received so far.
    mutating func take(_ phone: Phone) -> [SIPMessage] {
        defer { inbox[phone.address] = [] }
        return inbox[phone.address] ?? []
    }

    mutating func run(_ initial: [SIPFrontAction], at node: NodeId) {
        var queue = initial.map { (node, $0) }
        var steps = 0
        while !queue.isEmpty {
            steps += 1
            precondition(steps < 1000, "message loop")
            let (at, action) = queue.removeFirst()
            queue += perform(action, at: at).map { ($0.0, $0.1) }
        }
    }

    mutating func perform(_ action: SIPFrontAction, at node: NodeId) -> [(NodeId, SIPFrontAction)] {
        switch action {
        case .sendToPhone(let bytes, let address):
            do {
                inbox[address, default: []].append(try SIPMessage.parse(datagram: bytes))
            } catch {
                Issue.record("front sent an unparsable message: \(error.description)")
            }
            return []
        case .storeRegistration(let request):
            // The value must be a valid RFC 7904 SipRegistration on the wire.
            let decoded = try? SipRegistration.decode(bytes: try request.value.encoded())
            #expect(decoded == request.value)
            store[request.addressOfRecord.resourceName, default: [:]][request.dictionaryKey] = request.value
            return fronts[node]!.overlayStoreCompleted(storeId: request.storeId, result: .stored, now: now).map { (node, $0) }
        case .removeRegistration(let addressOfRecord, let key):
            store[addressOfRecord.resourceName]?[key] = nil
            return []
        case .lookup(let lookup):
            lookups += 1
            let values = Array((store[lookup.addressOfRecord.resourceName] ?? [:]).values)
            let result = lookupResult ?? (values.isEmpty ? .notFound : .found(values))
            return fronts[node]!.overlayLookupCompleted(lookupId: lookup.lookupId, result: result, now: now).map { (node, $0) }
        case .sendThroughOverlay(let bytes, let peer):
            overlayMessages += 1
            if unreachable.contains(peer) || fronts[peer] == nil {
                return fronts[node]!.overlayDeliveryFailed(toPeer: peer, now: now).map { (node, $0) }
            }
            return fronts[peer]!.received(fromOverlay: bytes, from: node, now: now).map { (peer, $0) }
        case .log(_, let text):
            logs.append(text)
            return []
        }
    }

    /// Registers `phone` at `node` through the challenge; expects the 200.
    mutating func register(_ phone: inout Phone, at node: NodeId, expires: String? = nil) {
        self.phone(phone, sends: phone.register(expires: expires), to: node)
        let challenge = take(phone).first?.wwwAuthenticates.first
        #expect(challenge != nil)
        guard let challenge else { return }
        self.phone(phone, sends: phone.register(expires: expires, challenge: challenge), to: node)
        #expect(take(phone).map { $0.statusCode } == [200])
    }
}

extension SIPMessage {
    var text: String { String(decoding: serialize(), as: UTF8.self) }
    var reasonText: String {
        if case .response(_, let reason) = startLine { return String(decoding: reason, as: UTF8.self) }
        return ""
    }
}
