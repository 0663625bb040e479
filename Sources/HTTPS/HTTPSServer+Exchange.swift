import HTTP
import Link
import Platform
import Wire

// Bytes in, TLS and HTTP, the answer out.
extension HTTPSServer {
    func readable(slot: Int) {
        guard slot >= 0, slot < slots.count, let connection = slots[slot] else { return }
        for _ in 0..<HTTPSLimits.readsPerWakeup {
            let result: StreamConnection.ReadResult
            do throws(PlatformError) {
                result = try connection.stream.read(into: &readBuffer)
            } catch {
                end(slot, connection, counting: .transportFailure)
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .closed:
                end(slot, connection, counting: connection.phase == .handshaking || connection.phase == .reading ? .closedByClient : nil)
                return
            case .bytes(let count):
                guard received(Array(readBuffer[0..<count]), slot: slot, connection) else { return }
            }
        }
    }

    /// Feeds bytes to the session (or drops them when draining); false when the connection ended.
    func received(_ bytes: [UInt8], slot: Int, _ connection: HTTPSServerConnection) -> Bool {
        if connection.phase == .draining || connection.phase == .answering {
            connection.discardedBytes += bytes.count
            if connection.discardedBytes > HTTPSLimits.maximumDiscardedBytes {
                end(slot, connection, counting: nil)
                return false
            }
            return true
        }
        let actions = connection.session.receive(bytes, now: Clock.monotonicNow())
        return perform(actions, slot: slot, connection)
    }

    /// Performs a session's actions; false when the connection ended.
    func perform(_ actions: [SecureSessionAction], slot: Int, _ connection: HTTPSServerConnection) -> Bool {
        var failed = false
        for action in actions {
            switch action {
            case .transmit(let bytes):
                connection.queue(bytes)
            case .handshakeCompleted:
                if connection.phase == .handshaking { connection.phase = .reading }
            case .plaintext(let bytes):
                guard connection.phase == .reading else { continue }
                let result = connection.parser.feed(bytes)
                if result != .needMore { respond(to: result, connection) }
            case .failed:
                if connection.phase == .handshaking { counters.handshakeFailures += 1 } else { counters.transportFailures += 1 }
                failed = true
            case .closed, .keyLogLine:
                continue
            }
        }
        if failed {
            // An alert for the client may be queued: one attempt to send it, then close.
            _ = try? connection.flush()
            end(slot, connection, counting: nil)
            return false
        }
        return flush(slot: slot, connection)
    }

    /// Asks the handler, encrypts the answer, queues close_notify after it.
    func respond(to result: HTTPParseResult, _ connection: HTTPSServerConnection) {
        let (response, note) = handler.answer(result, from: connection.peer)
        let bytes = response.serialized()
        let now = Clock.monotonicNow()
        var offset = 0
        var actions: [SecureSessionAction] = []
        let limit = max(1, connection.session.maximumPlaintextPerSend)
        while offset < bytes.count {
            let end = min(bytes.count, offset + limit)
            guard let sent = try? connection.session.send(Array(bytes[offset..<end]), now: now) else { break }
            actions += sent
            offset = end
        }
        actions += connection.session.close(now: now)
        for case .transmit(let ciphertext) in actions { connection.queue(ciphertext) }
        connection.phase = .answering
        counters.answered += 1
        handler.log(logLine(result, response: response, note: note, connection))
    }

    /// `127.0.0.1:50312 "POST /enroll" 200 612 bytes 143 ms alice: issued ...`
    func logLine(_ result: HTTPParseResult, response: HTTPResponse, note: String, _ connection: HTTPSServerConnection) -> String {
        var request = "-"
        if case .request(let parsed, _) = result { request = "\(parsed.method) \(parsed.path)" }
        if case .failure(_, let reason) = result { request = "(\(reason))" }
        let elapsed = Clock.monotonicNow().milliseconds(since: connection.started)
        var line = "\(connection.peer.description) \"\(request)\" \(response.status.code) \(response.body.count) bytes \(elapsed) ms"
        if !note.isEmpty { line += " " + note }
        return line
    }

    func writable(slot: Int) {
        guard slot >= 0, slot < slots.count, let connection = slots[slot] else { return }
        _ = flush(slot: slot, connection)
    }

    /// Writes queued ciphertext; after the whole answer, half-closes and drains. False when the
    /// connection ended.
    func flush(slot: Int, _ connection: HTTPSServerConnection) -> Bool {
        guard connection.pendingOutboundBytes <= HTTPSLimits.maximumPendingOutboundBytes else {
            end(slot, connection, counting: .transportFailure)
            return false
        }
        let done: Bool
        do throws(PlatformError) {
            done = try connection.flush()
        } catch {
            end(slot, connection, counting: connection.phase == .answering ? nil : .transportFailure)
            return false
        }
        if done != !connection.waitsForWritable {
            connection.waitsForWritable = !done
            loop.setInterest(token: slot + 1, done ? .read : .readWrite)
        }
        if done && connection.phase == .answering {
            connection.stream.shutdownWrite()
            connection.phase = .draining
        }
        return true
    }

    func end(_ slot: Int, _ connection: HTTPSServerConnection, counting reason: HTTPSServerCounters.EndReason?) {
        if let reason { counters.count(reason) }
        close(slot: slot)
    }
}
