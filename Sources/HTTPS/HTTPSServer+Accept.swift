import Link
import Platform
import Wire

// Accepting connections within the bound, and closing them.
extension HTTPSServer {
    /// Accepts what is pending while there are slots. At capacity, the oldest unanswered
    /// connection makes room if it is old enough; if none is, accepting pauses: new clients
    /// wait in the kernel's backlog (their handshake not yet begun, their time limit not yet
    /// running) until a slot frees or the housekeeping tick looks again. So a flood of idle
    /// connections delays an honest client by about the eviction age per batch of slots,
    /// and never locks it out.
    func acceptPending() {
        for round in 0..<HTTPSLimits.acceptsPerWakeup {
            var slot = freeSlot()
            if slot == nil {
                // Only the first round knows a connection is waiting (the listener was readable):
                // never close one for a client that may not be there.
                guard round == 0 else { return }
                slot = evictOldestUnanswered()
            }
            guard let slot else {
                pauseAccepting()
                return
            }
            let accepted: StreamConnection?
            do throws(PlatformError) {
                accepted = try listener.accept()
            } catch {
                // EMFILE and the like: pending connections stay in the backlog; try again later.
                counters.transportFailures += 1
                pauseAccepting()
                return
            }
            guard let stream = accepted else { return }
            counters.accepted += 1
            register(stream, slot: slot)
        }
    }

    func pauseAccepting() {
        guard !acceptingPaused else { return }
        loop.remove(token: HTTPSServer.listenerToken)
        acceptingPaused = true
        counters.pausedAtCapacity += 1
    }

    func resumeAccepting() {
        guard acceptingPaused else { return }
        do throws(PlatformError) {
            try loop.add(fileDescriptor: listener.fileDescriptor, token: HTTPSServer.listenerToken, interest: .read)
            acceptingPaused = false
        } catch {
            counters.transportFailures += 1
        }
    }

    func freeSlot() -> Int? {
        return slots.firstIndex { $0 == nil }
    }

    /// Closes the oldest connection that has not been answered yet (or was answered and only
    /// waits for the client to close), if it is old enough that an honest client would have
    /// been done with its handshake and request; its slot.
    func evictOldestUnanswered() -> Int? {
        var choice = OldestGivesWay<Int>(now: loop.now, minimumAgeMilliseconds: HTTPSLimits.evictionMinimumAgeMilliseconds)
        for (slot, connection) in slots.enumerated() {
            guard let connection, connection.phase != .answering else { continue }
            choice.consider(slot, started: connection.started)
        }
        guard let oldest = choice.chosen else { return nil }
        counters.evicted += 1
        close(slot: oldest)
        return oldest
    }

    func register(_ stream: StreamConnection, slot: Int) {
        let now = Clock.monotonicNow()
        let session: SecureSession
        do throws(LinkError) {
            session = try SecureSession(acceptingWith: configuration, now: now)
        } catch {
            counters.handshakeFailures += 1
            return
        }
        let peer = stream.peer ?? .v4(address: [0, 0, 0, 0], port: 0)
        let connection = HTTPSServerConnection(
            stream: stream, session: session, peer: peer, started: now, generation: generations[slot])
        do throws(PlatformError) {
            try loop.add(fileDescriptor: stream.fileDescriptor, token: slot + 1, interest: .read)
        } catch {
            counters.transportFailures += 1
            return
        }
        connection.timer = loop.schedule(
            at: now.adding(milliseconds: connectionTimeLimitMilliseconds),
            .connection(slot: slot, generation: connection.generation))
        slots[slot] = connection
        // The timer queue holds one timer per slot and the housekeeping tick: never full. A
        // connection without its time limit must not exist, so refuse it if it ever were.
        guard connection.timer != nil else {
            end(slot, connection, counting: .transportFailure)
            return
        }
        // The server speaks only after the ClientHello: nothing to send yet.
        _ = session.start(now: now)
    }

    /// The time limit of a connection ran out.
    func expire(slot: Int, generation: UInt32) {
        guard slot >= 0, slot < slots.count, let connection = slots[slot], connection.generation == generation else { return }
        connection.timer = nil
        switch connection.phase {
        case .handshaking: counters.handshakeTimeouts += 1
        case .reading: counters.requestTimeouts += 1
        case .answering: counters.answerTimeouts += 1
        case .draining: break
        }
        close(slot: slot)
    }

    /// Forgets a connection: off the loop, its timer cancelled, the socket closed.
    func close(slot: Int) {
        guard let connection = slots[slot] else { return }
        loop.remove(token: slot + 1)
        if let timer = connection.timer { loop.cancel(timer) }
        slots[slot] = nil
        generations[slot] &+= 1
        resumeAccepting()
    }
}
