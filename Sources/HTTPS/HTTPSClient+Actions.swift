import HTTP
import Link
import Platform
import Wire

extension HTTPSClient {
    /// Performs a session's actions: ciphertext to send, the handshake's end (send the
    /// request), plaintext (the response).
    func perform(_ actions: [SecureSessionAction]) throws(HTTPSError) {
        for action in actions {
            switch action {
            case .transmit(let bytes):
                outbound += bytes
            case .handshakeCompleted(let chain):
                serverChain = chain
                step = .exchanging
                try sendRequest()
            case .plaintext(let bytes):
                switch parser.feed(bytes) {
                case .needMore: continue
                case .response(let response): answer = response
                case .failure(let reason): throw .failed(step: step.name(address), reason: "malformed response: \(reason)")
                }
            case .failed(let error):
                throw .failed(step: step.name(address), reason: error.description)
            case .closed:
                if answer == nil {
                    throw .failed(step: step.name(address), reason: "the server ended TLS before a whole answer")
                }
            case .keyLogLine:
                continue
            }
        }
    }

    func sendRequest() throws(HTTPSError) {
        guard let session else { return }
        let limit = max(1, session.maximumPlaintextPerSend)
        var offset = 0
        while offset < request.count {
            let end = min(request.count, offset + limit)
            do throws(LinkError) {
                outbound += try session.send(Array(request[offset..<end]), now: Clock.monotonicNow()).compactMap { action in
                    if case .transmit(let bytes) = action { return bytes }
                    return nil
                }.joined()
            } catch {
                throw .failed(step: step.name(address), reason: error.description)
            }
            offset = end
        }
    }

    /// Writes what the socket takes; waits for writability when some is left.
    func flush(_ connection: StreamConnection) throws(HTTPSError) {
        var offset = 0
        while offset < outbound.count {
            let written = try platform { () throws(PlatformError) in try connection.write(outbound[offset...]) }
            if written == 0 { break }
            offset += written
        }
        outbound.removeFirst(offset)
        loop.setInterest(token: token, outbound.isEmpty ? .read : .readWrite)
    }

    /// Runs a Platform call, naming the current step when it fails.
    func platform<T>(_ body: () throws(PlatformError) -> T) throws(HTTPSError) -> T {
        do throws(PlatformError) {
            return try body()
        } catch {
            // While connecting the step already names the address: errno's text says the rest.
            if step == .connecting, case .system(_, let number) = error {
                throw .failed(step: step.name(address), reason: PlatformError.describe(errno: number))
            }
            throw .failed(step: step.name(address), reason: error.description)
        }
    }
}
