import Foundation
import Testing
@testable import Link
import Crypto
import Reload
import Wire
import TestSupport

func push(_ queue: inout TransportQueue, _ bytes: [UInt8]) -> Bool { queue.push(bytes) }
func read(_ queue: inout TransportQueue, _ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int? {
    queue.read(into: buffer, capacity: capacity)
}
func takeAll(_ queue: inout TransportQueue) -> [[UInt8]] { queue.takeAll() }

@Suite struct BoundsTests {
    @Test func limitsAreConsistent() {
        // A whole record (2^14 plaintext + header + AEAD overhead) fits in one datagram.
        #expect(LinkLimits.maximumDatagramBytes >= LinkLimits.maximumPlaintextRecordBytes + LinkLimits.dtlsRecordHeaderBytes + 64)
        #expect(Int(LinkLimits.defaultDatagramMTU) <= LinkLimits.maximumDatagramBytes)
        // The stream buffers hold at least one full TLS record.
        #expect(LinkLimits.streamBufferBytes >= LinkLimits.maximumPlaintextRecordBytes + 5 + 64)
        // One call reads every record a full stream buffer can hold.
        #expect(LinkLimits.maximumRecordsPerCall * LinkLimits.minimumRecordBytes >= LinkLimits.streamBufferBytes)
        #expect(LinkLimits.defaultHalfOpenLimit <= LinkLimits.maximumHalfOpenLimit)
        #expect(UInt64(LinkLimits.rfcMaximumRetransmitMilliseconds) <= LinkLimits.defaultHandshakeTotalMilliseconds)
        #expect(LinkLimits.maximumCookieBytes == 255 && LinkLimits.maximumSessionIdBytes == 32)
    }

    @Test func reliabilityLimitsAreConsistent() {
        // §6.6.3.1: suspected (3 retransmissions) before given up (5 transmissions).
        #expect(LinkLimits.rfcRetransmissionsBeforeUnresponsive < LinkLimits.rfcTransmissionsPerMessage)
        // Every transmission of the unacknowledged message is still known when its ACK comes.
        #expect(LinkLimits.recentTransmissions >= LinkLimits.rfcTransmissionsPerMessage && LinkLimits.recentTransmissions <= 64)
        #expect(LinkLimits.defaultMinimumRetransmissionTimeoutMilliseconds <= LinkLimits.rfcInitialRetransmissionTimeoutMilliseconds)
        #expect(LinkLimits.rfcInitialRetransmissionTimeoutMilliseconds <= LinkLimits.rfc6298MaximumRetransmissionTimeoutMilliseconds)
        #expect(ReliabilityConfiguration().problem == nil)
        // The duplicate window covers a sender's fifteen RTOs at the RTO floor, and lets the
        // second end-to-end retransmission through (overlay-reliability-timer, 3 s, §6.2.1).
        let overlayReliabilityTimerMilliseconds: UInt64 = 3_000
        #expect(LinkLimits.defaultDuplicateWindowMilliseconds > 15 * LinkLimits.defaultMinimumRetransmissionTimeoutMilliseconds)
        #expect(LinkLimits.defaultDuplicateWindowMilliseconds < 2 * overlayReliabilityTimerMilliseconds)
        #expect(LinkLimits.duplicateCopyGapMilliseconds < overlayReliabilityTimerMilliseconds)
        // The smallest MTU still leaves a frame that can carry fragments (§6.7).
        let smallest = OverlayLinkConfiguration().framePayloadLimit(datagramMTU: LinkLimits.minimumDatagramMTU)
        #expect(smallest >= LinkLimits.minimumFramePayloadBytes)
        #expect(LinkLimits.minimumFramePayloadBytes - ReloadConstants.framedDataHeaderBytes - ReloadConstants.fragmentMTUReserveBytes
            - ReloadConstants.forwardingHeaderFixedBytes >= ReloadConstants.minimumFragmentPayloadBytes)
        // The default MTU: 1232 - 13 - 24 bytes per frame.
        #expect(OverlayLinkConfiguration().framePayloadLimit(datagramMTU: LinkLimits.defaultDatagramMTU) == 1_195)
        // A message of max-message-size (5000 by default) fits the default queue in fragments.
        #expect(LinkLimits.defaultSendQueueCapacity * 256 >= ReloadConstants.defaultMaxMessageSize)
    }

    @Test func datagramQueueRefusesBeyondItsBounds() {
        var queue = TransportQueue(maximumChunks: 3, maximumBytes: 100, isDatagram: true)
        #expect(push(&queue, [UInt8](repeating: 1, count: 40)))
        #expect(push(&queue, [UInt8](repeating: 2, count: 40)))
        #expect(!push(&queue, [UInt8](repeating: 3, count: 21)))  // bytes
        #expect(push(&queue, [UInt8](repeating: 3, count: 20)))
        #expect(!push(&queue, [4]))  // chunks
        #expect(!push(&queue, [UInt8]()))  // empty datagrams are not datagrams here
        #expect(queue.highWaterChunks == 3 && queue.highWaterBytes == 100)
        // A datagram is read whole, truncated to the buffer like recvfrom.
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        #expect(read(&queue, buffer, 10) == 10 && buffer[9] == 1)
        #expect(read(&queue, buffer, 64) == 40 && buffer[39] == 2)
        #expect(takeAll(&queue) == [[UInt8](repeating: 3, count: 20)])
        #expect(read(&queue, buffer, 64) == nil && queue.byteCount == 0)
    }

    @Test func streamQueueReadsAcrossChunks() {
        var queue = TransportQueue(maximumChunks: 100, maximumBytes: 10, isDatagram: false)
        #expect(push(&queue, [1, 2, 3]) && push(&queue, [4, 5, 6, 7]))
        #expect(queue.freeBytes == 3 && !push(&queue, [8, 9, 10, 11]))
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 8)
        defer { buffer.deallocate() }
        #expect(read(&queue, buffer, 2) == 2)
        #expect(read(&queue, buffer, 3) == 3 && [buffer[0], buffer[1], buffer[2]] == [3, 4, 5])
        #expect(takeAll(&queue) == [[6, 7]])
        #expect(queue.isEmpty && queue.freeBytes == 10)
    }

    @Test func peerAddressIsBounded() {
        #expect(PeerAddress(bytes: []) == nil)
        #expect(PeerAddress(bytes: [UInt8](repeating: 1, count: LinkLimits.maximumPeerAddressBytes)) != nil)
        #expect(PeerAddress(bytes: [UInt8](repeating: 1, count: LinkLimits.maximumPeerAddressBytes + 1)) == nil)
    }

    @Test(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed"))
    func sessionQueuesStayWithinTheirBounds() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.bob)
        let server = try #require(connection.server)
        // A burst of junk and oversized datagrams: dropped or discarded, never queued beyond bounds.
        for index in 0..<500 {
            let size = index % 5 == 0 ? LinkLimits.maximumDatagramBytes + 1 : 1 + index % 1_500
            _ = server.receive([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: size), now: connection.now)
        }
        #expect(server.counters.datagramsDropped == 100)
        #expect(server.state == .established)
        for session in [connection.client, server] {
            #expect(session.inbound.highWaterChunks <= LinkLimits.inboundDatagramQueueCapacity)
            #expect(session.outbound.highWaterChunks <= LinkLimits.outboundDatagramQueueCapacity)
            #expect(session.inbound.isEmpty && session.outbound.isEmpty)
        }

        // Stream: a 200 KB chunk passes through a 34 KB buffer.
        let stream = try SessionPair.handshake(pki.alice, to: pki.bob, transport: .stream)
        var big: [[UInt8]] = []
        for _ in 0..<4 { big += SecureSession.transmissions(in: try stream.client.send([UInt8](repeating: 7, count: 50_000), now: stream.now)) }
        let all = Array(big.joined())
        #expect(all.count > 200_000)
        let streamServer = try #require(stream.server)
        let received = streamServer.receive(all, now: stream.now)
        #expect(received.reduce(0) { if case .plaintext(let bytes) = $1 { return $0 + bytes.count } else { return $0 } } == 200_000)
        #expect(streamServer.inbound.highWaterBytes <= LinkLimits.streamBufferBytes)
        for session in [stream.client, streamServer] {
            #expect(session.inbound.highWaterChunks <= LinkLimits.streamQueueChunks)
            #expect(session.outbound.highWaterChunks <= LinkLimits.streamQueueChunks)
            #expect(session.outbound.highWaterBytes <= LinkLimits.streamBufferBytes)
        }
    }
}

@Suite struct LinkSelfTestTests {
    /// What `p2psip selftest` runs on the board passes here too (no openssl needed: the
    /// credentials are built in, valid 1970-2125).
    @Test func boardSelfTestPasses() throws {
        let random = try RandomGenerator(source: .operatingSystem)
        #expect(LinkSelfTest.handshake(transport: .datagram, using: random) == nil)
        #expect(LinkSelfTest.handshake(transport: .stream, using: random) == nil)
        #expect(LinkSelfTest.overlayLink(using: random) == nil)
    }
}
