import Wire

// What LinkManager does to a link when the peer's own handshake takes its place: after a
// simultaneous open (both sides connected at once), and when a peer that restarted connects
// again from the same address.
extension OverlayLink {
    /// True when this outbound link gave way to the peer's handshake (simultaneous open): it
    /// sends nothing and waits, at most until its handshake time limit, for the inbound link
    /// that will take its place and its queued messages.
    public var hasYielded: Bool { yielded }

    /// Simultaneous open: both peers sent a ClientHello. The one whose random is the larger
    /// (compared as unsigned bytes; randoms are 32 random bytes, equal only by accident) keeps
    /// its handshake; the other yields. Both sides decide the same way with no extra message.
    static func keepsOwnHandshake(ours: [UInt8], theirs: [UInt8]) -> Bool {
        precondition(ours.count == LinkLimits.helloRandomBytes && theirs.count == LinkLimits.helloRandomBytes)
        for (mine, other) in zip(ours, theirs) where mine != other { return mine > other }
        return false
    }

    func yield() {
        precondition(isOutbound && state == .handshaking)
        yielded = true
    }

    /// The queued messages of the link this one replaces.
    func adoptQueue(of replaced: OverlayLink) {
        expectedNodeId = replaced.expectedNodeId
        requestedByOwner = replaced.requestedByOwner
        let messages = replaced.reliability.takeQueued()
        if messages.isEmpty { return }
        let adopted = reliability.enqueue(messages)
        precondition(adopted, "a new link's queue holds what the same configuration queued")
    }

    /// Ends the link without sending anything (its peer's session is gone): `.failed(failure)`.
    func abandon(_ failure: LinkFailure) -> [LinkEvent] {
        var events: [LinkEvent] = []
        end(.failed(failure), into: &events)
        return events
    }

    /// True while the link's session is a half-open handshake the listener accepted.
    var holdsHalfOpenSlot: Bool { session.halfOpenSlot != nil }

    /// Gives the listener's half-open slot back now (the link is about to be abandoned).
    func releaseHalfOpenSlot() { session.releaseHalfOpenSlot() }

    /// A yielded link only waits, bounded by its handshake time limit.
    func tickYielded(now: Instant) -> [LinkEvent] {
        var events: [LinkEvent] = []
        if state.isActive && now >= session.handshakeDeadline { end(.failed(.session(.handshakeTimeout)), into: &events) }
        return events
    }
}
