import Node
import Peer
import Reload
import SIP
import Simulator
import Testing
import Wire

/// Whole peer cores on the simulated network (PeerSimulation): they join, two phones
/// register at their peers through the SIP front, the registrations are stored in the overlay
/// (RFC 7904 §3), and alice's phone calls bob's through the overlay (a Fetch of bob's
/// registration, an AppAttach, a DTLS SIP connection between the peers, RFC 7904 §4, §5).
@Suite struct PeerSimulationTests {
    /// A phone on the simulated network: its SIPPhone and its address.
    struct Phone {
        var phone: SIPPhone
        let address: IpAddressPort
        let peer: Int

        init(user: String, password: String, domain: String, host: UInt8, peer: Int) {
            address = .ipv4(10, 200, 0, host, port: 5070)
            phone = SIPPhone(user: user, password: password, domain: domain, host: "10.200.0.\(host)", port: 5070)
            self.peer = peer
        }

        func send(_ message: SIPMessage, _ simulation: PeerSimulation) {
            simulation.sendFromPhone(message.serialize(), phone: address, to: peer)
        }

        func received(_ simulation: PeerSimulation) -> [SIPMessage] {
            simulation.takePhoneDatagrams(address).compactMap { try? SIPMessage.parse(datagram: $0) }
        }
    }

    /// What one run shows, to compare two runs of the same seed.
    struct Outcome: Equatable {
        var joinedAtMilliseconds: UInt64
        var registrations: [Int]
        var callFinishedAtMilliseconds: UInt64
        var datagramsDelivered: Int
        var lookupLines: [String]
    }

    static let overlay = "sim.p2psip"

    func run(seed: UInt64) throws -> Outcome {
        let simulation = try PeerSimulation(seed: seed, overlayName: Self.overlay)
        try simulation.addPeer(user: "alice", sipPassword: "alice-secret")
        try simulation.addPeer(user: "bob", sipPassword: "bob-secret")
        try simulation.addPeer(user: "carol")
        try simulation.addPeer(user: "dave")
        let joined = simulation.run(milliseconds: 60_000) { simulation.peers.allSatisfy { $0.core.node.phase == .joined } }
        #expect(joined, "not every peer joined:\n\(simulation.log.suffix(20).joined(separator: "\n"))")
        let joinedAt = simulation.now.nanoseconds / 1_000_000
        // Let the ring settle (Updates, fingers) before the phones come.
        simulation.run(milliseconds: 5_000)

        var alice = Phone(user: "alice", password: "alice-secret", domain: Self.overlay, host: 1, peer: 0)
        var bob = Phone(user: "bob", password: "bob-secret", domain: Self.overlay, host: 2, peer: 1)
        let registrations = [try register(&alice, simulation), try register(&bob, simulation)]
        #expect(registrations == [200, 200])

        // The registration is in the overlay: carol's peer finds it with a control request.
        let resource = try AddressOfRecord(uri: SIPURI(user: Array("bob".utf8), host: Array(Self.overlay.utf8)))
            .resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let connection = simulation.control(2, ["get", Hex.encode(resource.bytes), "\(KindId.sipRegistration.rawValue)", "-"])
        #expect(simulation.run(milliseconds: 20_000) { simulation.peers[2].controlAnswers[connection] != nil })
        let answer = simulation.peers[2].controlAnswers[connection]
        #expect(answer?.status == 0, "get of bob's registration: \(answer?.lines ?? [])")
        let lookupLines = answer?.lines ?? []
        #expect(lookupLines.contains { $0.contains("1 value(s)") }, "\(lookupLines)")

        var call = SIPCall(from: &alice.phone, to: "bob")
        alice.send(call.invite, simulation)
        let finished = simulation.run(milliseconds: 30_000) {
            for message in bob.received(simulation) {
                for reply in call.calleeReceived(message, callee: bob.phone) { bob.send(reply, simulation) }
            }
            for message in alice.received(simulation) {
                for request in call.callerReceived(message, caller: &alice.phone) { alice.send(request, simulation) }
            }
            return call.finished || call.failure != nil
        }
        #expect(finished && call.failure == nil, "call: \(call.failure ?? "no end")\n\(simulation.log.suffix(30).joined(separator: "\n"))")
        #expect(call.answered && call.acknowledged, "the callee saw the INVITE's 200 acknowledged")

        // Both peers count what they did: the caller's a lookup and an AppAttach, the
        // callee's a connection from the caller's peer.
        let aliceSIP = try #require(simulation.peers[0].core.sip)
        #expect(aliceSIP.counters.lookups >= 1 && aliceSIP.counters.appAttachesSent == 1)
        #expect(aliceSIP.counters.registrationsStored == 1)
        let status = simulation.control(1, ["status"])
        simulation.run(milliseconds: 10)
        let statusLines = simulation.peers[1].controlAnswers[status]?.lines ?? []
        #expect(statusLines.contains { $0.hasPrefix("  state: joined") })
        #expect(statusLines.contains { $0.contains("connection: \(simulation.peers[0].identity.nodeId.hex)") }, "\(statusLines)")
        return Outcome(
            joinedAtMilliseconds: joinedAt, registrations: registrations, callFinishedAtMilliseconds: simulation.now.nanoseconds / 1_000_000,
            datagramsDelivered: simulation.datagramsDelivered, lookupLines: lookupLines)
    }

    /// REGISTER, the 401 challenge, REGISTER with credentials, 200 (RFC 3261 §10.2, §22.2):
    /// the final status.
    func register(_ phone: inout Phone, _ simulation: PeerSimulation) throws -> Int {
        phone.send(phone.phone.startRegistration(expires: 3600), simulation)
        var status = 0
        let copy = phone
        var current = phone
        simulation.run(milliseconds: 20_000) {
            for message in copy.received(simulation) {
                switch current.phone.registrationReceived(message) {
                case .send(let again): current.send(again, simulation)
                case .finished(let final): status = final
                case .ignored: continue
                }
            }
            return status != 0
        }
        phone = current
        return status
    }

    @Test func twoPhonesRegisterAndCallThroughFourSimulatedPeers() throws {
        _ = try run(seed: 0x5eed_0001)
    }

    /// The same seed gives the same run: the same times, the same datagrams.
    @Test func aSeedReplaysTheSameRun() throws {
        let first = try run(seed: 0x5eed_0002)
        let second = try run(seed: 0x5eed_0002)
        #expect(first == second)
    }
}
