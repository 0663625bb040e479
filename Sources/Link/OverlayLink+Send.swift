import Reload
import Wire

extension OverlayLink {
    /// Queues one RELOAD message (whole, or a fragment being forwarded) for the peer; while
    /// established and idle it goes at once (`.transmit`), otherwise when its turn comes.
    /// Larger than a frame, it is cut into fragments first (§6.7), all queued or none.
    public func send(_ message: [UInt8], now: Instant) throws(LinkRefusal) -> [LinkEvent] {
        guard state.isActive else { throw .linkDown }
        guard message.count <= configuration.codec.maxMessageSize else {
            throw .messageTooLarge(length: message.count, limit: configuration.codec.maxMessageSize)
        }
        let pieces = try fragments(of: message)
        guard reliability.enqueue(pieces) else { throw .queueFull }
        counters.messagesAccepted += 1
        counters.framesQueued += UInt64(pieces.count)
        var events: [LinkEvent] = []
        if state == .established { perform(reliability.poll(now: now), into: &events, now: now) }
        return events
    }

    /// §6.7: "it SHOULD be split into equal-sized fragments that are no larger than the PMTU of
    /// the next overlay link minus 32 bytes", the frame header taken off the PMTU too.
    func fragments(of message: [UInt8]) throws(LinkRefusal) -> [[UInt8]] {
        let room = framePayloadLimit - ReloadConstants.framedDataHeaderBytes
        if message.count <= room { return [message] }
        let pieces: [[UInt8]]
        do throws(ReloadError) {
            pieces = try Fragmentation.fragment(
                message, maximumBytes: room - ReloadConstants.fragmentMTUReserveBytes, configuration.codec)
        } catch {
            throw .malformedMessage(error)
        }
        // Not fragmentable (the header leaves less than 256 bytes per fragment), or more
        // fragments than the queue can ever hold.
        guard pieces.allSatisfy({ $0.count <= room }), pieces.count <= reliability.configuration.sendQueueCapacity else {
            throw .messageTooLarge(length: message.count, limit: room)
        }
        return pieces
    }
}
