import Reload
import Wire

// From the session's actions and the reliability layer's actions to link events.
extension OverlayLink {
    func absorb(_ actions: [SecureSessionAction], into events: inout [LinkEvent], now: Instant) {
        for action in actions {
            switch action {
            case .transmit(let datagram):
                events.append(.transmit(datagram))
            case .keyLogLine(let line):
                events.append(.keyLog(line))
            case .handshakeCompleted(let chain):
                guard state == .handshaking else { continue }
                state = .established
                events.append(.established(chain))
                perform(reliability.poll(now: now), into: &events, now: now)
            case .plaintext(let record):
                guard state == .established else { continue }
                perform(reliability.receive(record, now: now), into: &events, now: now)
            case .closed:
                end(.closed, into: &events)
            case .failed(let error):
                end(.failed(.session(error)), into: &events)
            }
        }
    }

    func perform(_ actions: [ReliabilityAction], into events: inout [LinkEvent], now: Instant) {
        for action in actions {
            switch action {
            case .transmit(let frame):
                encrypt(frame, into: &events, now: now)
            case .deliver(let message):
                deliver(message, into: &events, now: now)
            case .unresponsive:
                events.append(.unresponsive)
            case .responsive:
                events.append(.responsive)
            case .gaveUp:
                // §6.6.3.1: close the connection. close_notify is cheap and tells a peer that
                // still hears us; the link fails rather than closes.
                guard state.isActive else { continue }
                for case .transmit(let datagram) in session.close(now: now) { events.append(.transmit(datagram)) }
                end(.failed(.retransmissionsExhausted), into: &events)
            }
        }
    }

    /// One frame as one DTLS record.
    func encrypt(_ frame: [UInt8], into events: inout [LinkEvent], now: Instant) {
        guard state == .established else { return }
        do throws(LinkError) {
            absorb(try session.send(frame, now: now), into: &events, now: now)
        } catch {
            // Frames are sized to fit a record (framePayloadLimit): this is a session that
            // ended under us, or a record size mbedTLS computes differently.
            end(.failed(.session(error)), into: &events)
        }
    }

    /// A received message (or fragment) to the owner; fragments wait for their message (§6.7).
    func deliver(_ message: [UInt8], into events: inout [LinkEvent], now: Instant) {
        if !configuration.reassemblesFragments || OverlayLink.isWholeMessage(message) {
            counters.messagesDelivered += 1
            events.append(.delivered(message))
            return
        }
        switch reassembly.add(message, now: now) {
        case .complete(let whole):
            counters.messagesDelivered += 1
            if whole.count != message.count { counters.messagesReassembled += 1 }
            events.append(.delivered(whole))
        case .pending:
            break
        case .dropped:
            counters.messagesDropped += 1
        }
    }

    /// Cheap check for the common case: the relo_token and fragment 0xC0000000 (§6.3.2, §6.7).
    /// Anything else goes through Reassembly, which decodes the header.
    static func isWholeMessage(_ message: [UInt8]) -> Bool {
        guard message.count >= ReloadConstants.forwardingHeaderFixedBytes else { return false }
        return readUInt32(message, at: 0) == ReloadConstants.reloToken
            && readUInt32(message, at: ReloadConstants.fragmentFieldOffset) == ReloadConstants.unfragmented
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        precondition(offset + 4 <= bytes.count)
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// The link is over: nothing more is sent; what waited is discarded and counted.
    func end(_ final: OverlayLinkState, into events: inout [LinkEvent]) {
        precondition(!final.isActive)
        guard state.isActive else { return }
        state = final
        counters.framesDiscarded += UInt64(reliability.discardAll())
        switch final {
        case .failed(let failure): events.append(.failed(failure))
        default: events.append(.closed)
        }
    }
}
