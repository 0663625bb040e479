import Foundation
import Node
import Peer
import Reload
import SIP
import SIPUsage
import Simulator
import Testing
import Wire

/// The RFC 7904 bridge (SIPUsage) inside whole simulated peers: what a registration stores,
/// what a wrong password and an unknown callee get.
@Suite struct SIPUsageTests {
    static let overlay = "sim.p2psip"

    static func ring(seed: UInt64) throws -> PeerSimulation {
        let simulation = try PeerSimulation(seed: seed, overlayName: overlay)
        try simulation.addPeer(user: "alice", sipPassword: "alice-secret")
        try simulation.addPeer(user: "bob")
        try simulation.addPeer(user: "carol")
        #expect(simulation.run(milliseconds: 60_000) { simulation.peers.allSatisfy { $0.core.node.phase == .joined } })
        simulation.run(milliseconds: 3_000)
        return simulation
    }

    /// Sends `message` from a phone at 10.200.0.1:5070 to alice's peer and returns the final
    /// answers that come back within `milliseconds`.
    static func exchange(_ message: SIPMessage, _ simulation: PeerSimulation, milliseconds: UInt64 = 20_000) -> [SIPMessage] {
        let phone = IpAddressPort.ipv4(10, 200, 0, 1, port: 5070)
        simulation.sendFromPhone(message.serialize(), phone: phone, to: 0)
        var finals: [SIPMessage] = []
        simulation.run(milliseconds: milliseconds) {
            for datagram in simulation.takePhoneDatagrams(phone) {
                if let answer = try? SIPMessage.parse(datagram: datagram), let status = answer.statusCode, status >= 200 { finals.append(answer) }
            }
            return !finals.isEmpty
        }
        return finals
    }

    static func register(_ phone: inout SIPPhone, _ simulation: PeerSimulation) -> Int {
        var answers = exchange(phone.startRegistration(expires: 600), simulation)
        while let answer = answers.first {
            switch phone.registrationReceived(answer) {
            case .send(let again): answers = exchange(again, simulation)
            case .finished(let status): return status
            case .ignored: answers.removeFirst()
            }
        }
        return 0
    }

    @Test func aRegistrationIsStoredAsARouteToThePeer() throws {
        let simulation = try Self.ring(seed: 21)
        var phone = SIPPhone(user: "alice", password: "alice-secret", domain: Self.overlay, host: "10.200.0.1", port: 5070)
        #expect(Self.register(&phone, simulation) == 200)
        let sip = try #require(simulation.peers[0].core.sip)
        #expect(sip.counters.registrationsStored == 1)
        // Read it back from another peer: a SipRegistration routing to alice's peer (§3.2).
        let resource = try AddressOfRecord(uri: SIPURI(user: Array("alice".utf8), host: Array(Self.overlay.utf8)))
            .resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let connection = simulation.control(2, ["get", Hex.encode(resource.bytes), "\(KindId.sipRegistration.rawValue)", "-"])
        #expect(simulation.run(milliseconds: 20_000) { simulation.peers[2].controlAnswers[connection] != nil })
        #expect(simulation.peers[2].controlAnswers[connection]?.status == 0)
        let lines = simulation.peers[2].controlAnswers[connection]?.lines ?? []
        let alice = simulation.peers[0].identity.nodeId
        let entry = try #require(lines.first { $0.contains("key 0x\(alice.hex): 0x") }, "\(lines)")
        let valueHex = entry.components(separatedBy: ": 0x")[1].components(separatedBy: " ")[0]
        let value = try SipRegistration.decode(bytes: try #require(Hex.decode(valueHex)), simulation.peers[2].core.node.configuration.codec)
        guard case .route(_, let destinations) = value, case .node(let target)? = destinations.last else {
            Issue.record("the registration is not a route: \(value)")
            return
        }
        #expect(target == alice)
    }

    @Test func aWrongPasswordStoresNothing() throws {
        let simulation = try Self.ring(seed: 22)
        var phone = SIPPhone(user: "alice", password: "guess", domain: Self.overlay, host: "10.200.0.1", port: 5070)
        let status = Self.register(&phone, simulation)
        #expect(status == 401 || status == 403, "REGISTER with a wrong password: \(status)")
        #expect(simulation.peers[0].core.sip?.counters.registrationsStored == 0)
        // The failure is counted by cause where `p2psip status` shows the SIP front.
        let text = try #require(PeerControlTests.ask(simulation, 0, ["status"]))
        #expect(text.lines.contains { $0.contains("digest_failures 1") && $0.contains("registers_rate_limited 0") }, "\(text.lines)")
        let json = try #require(PeerControlTests.ask(simulation, 0, ["status", "--json"]))
        #expect(json.lines.first?.contains("\"refused_user_penalty\":0") == true)
    }

    /// RFC 7904 §4.2: no registration under the AOR: the INVITE is answered 404 and the
    /// lookup counted as not found.
    @Test func aCallToAnUnregisteredUserIsAnswered404() throws {
        let simulation = try Self.ring(seed: 23)
        var phone = SIPPhone(user: "alice", password: "alice-secret", domain: Self.overlay, host: "10.200.0.1", port: 5070)
        #expect(Self.register(&phone, simulation) == 200)
        let call = SIPCall(from: &phone, to: "carol")
        let answers = Self.exchange(call.invite, simulation)
        #expect(answers.first?.statusCode == 404, "\(answers.map { SIPPhone.firstLine($0) })")
        #expect(simulation.peers[0].core.sip?.counters.lookupsNotFound == 1)
    }
}
