import Crypto
import Reload
import Wire

extension LinkSelfTest {
    static let hostileCopies = 2_000

    /// An overlay link between two LinkManagers in memory: DTLS handshake through the cookie
    /// listener, a 6000-byte message in fragments of a 1200-byte frame whose first data frame
    /// is lost (retransmitted exactly 500 ms later and the others 10 ms after each ACK, RFC
    /// 6940 §6.6.3.1; delivered once and whole), 2000 forged copies of captured datagrams from
    /// the peer's address, a message back over the same link, and a close. nil when all is
    /// right.
    public static func overlayLink(using random: RandomGenerator) -> String? {
        let overlay: LinkSelfTestOverlay
        do throws(LinkError) {
            overlay = try LinkSelfTestOverlay([
                try managerConfiguration(LinkSelfTestCredentials.aliceCertificatePEM, LinkSelfTestCredentials.aliceKeyPEM, random),
                try managerConfiguration(LinkSelfTestCredentials.bobCertificatePEM, LinkSelfTestCredentials.bobKeyPEM, random),
            ])
        } catch {
            return error.description
        }
        return exchange(overlay)
    }

    static func exchange(_ overlay: LinkSelfTestOverlay) -> String? {
        let large = LinkSelfTestOverlay.message(bytes: 6_000, number: 1)
        let small = LinkSelfTestOverlay.message(bytes: 100, number: 2)
        do throws(LinkRefusal) {
            overlay.perform(try overlay.managers[0].connect(to: overlay.addresses[1], now: overlay.now), by: 0)
            guard overlay.run(until: { overlay.established == [true, true] }) else { return "no link: \(overlay.failure ?? "timeout")" }
            overlay.dropDataFrom = 0
            overlay.dataToDrop = 1
            let sent = overlay.now
            overlay.perform(try overlay.managers[0].send(large, to: overlay.addresses[1], now: overlay.now), by: 0)
            guard overlay.run(until: { overlay.delivered[1].count == 1 }) else { return "fragmented message lost" }
            // The first fragment 500 ms late, then each further one 10 ms after the last ACK.
            let fragments = UInt64(overlay.managers[0].link(to: overlay.addresses[1])?.counters.framesQueued ?? 0)
            let expected = LinkLimits.rfcInitialRetransmissionTimeoutMilliseconds + (fragments - 1) * LinkLimits.rfcGapAfterAckMilliseconds
            guard fragments > 1, overlay.deliveredAt.first == sent.adding(milliseconds: expected) else {
                return "\(fragments) fragments delivered after \(overlay.deliveredAt.first?.milliseconds(since: sent) ?? 0) ms, not \(expected)"
            }
            // Forged copies of what crossed, from the peer's address: dropped, the link stays.
            overlay.feedHostileCopies(LinkSelfTest.hostileCopies)
            overlay.perform(try overlay.managers[1].send(small, to: overlay.addresses[0], now: overlay.now), by: 1)
            guard overlay.run(until: { overlay.delivered[0].count == 1 }) else { return "message back lost" }
        } catch {
            return error.description
        }
        if overlay.delivered[1] != [large] || overlay.delivered[0] != [small] { return "messages changed on the way" }
        guard let link = overlay.managers[1].link(to: overlay.addresses[0]), link.counters.messagesReassembled == 1,
            let sender = overlay.managers[0].link(to: overlay.addresses[1]), sender.reliability.counters.retransmissions == 1
        else { return "fragments or retransmissions not as expected" }
        overlay.perform(overlay.managers[0].close(overlay.addresses[1], now: overlay.now), by: 0)
        guard overlay.run(until: { overlay.closed == [true, true] }), overlay.managers[0].linkCount == 0, overlay.managers[1].linkCount == 0
        else { return "close did not end the link at both ends" }
        return nil
    }

    static func managerConfiguration(_ certificatePEM: String, _ keyPEM: String, _ random: RandomGenerator) throws(LinkError) -> LinkManagerConfiguration {
        let (client, _) = try configuration(.client, .datagram, certificatePEM, keyPEM, random)
        let (server, _) = try configuration(.server, .datagram, certificatePEM, keyPEM, random)
        let link = OverlayLinkConfiguration(codec: CodecConfiguration(maxMessageSize: 8_192), maximumFramePayloadBytes: 1_200)
        return LinkManagerConfiguration(client: client, server: server, link: link, maximumLinks: 4, maximumHandshakes: 2)
    }
}
