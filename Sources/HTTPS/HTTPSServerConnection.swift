import HTTP
import Link
import Platform
import Wire

/// One client of the HTTPS server: its socket, its TLS session, its request parser, the
/// ciphertext waiting for the socket, and where it stands. One request per connection (the
/// answer says "Connection: close"), then a lingering close: after the last byte is written the
/// server half-closes and reads (and drops) until the client closes, so that unread input
/// (the rest of an oversized body, a close_notify) does not turn the close into a reset that
/// could destroy the answer before the client read it.
final class HTTPSServerConnection {
    enum Phase: Equatable {
        case handshaking
        /// TLS is up; the request is arriving.
        case reading
        /// The answer is encrypted and queued; it is being written.
        case answering
        /// Everything written, write side shut: reading until the client closes.
        case draining
    }

    let stream: StreamConnection
    let session: SecureSession
    let peer: SocketAddress
    let started: Instant
    /// The slot's generation when this connection took it: timers of earlier connections in the
    /// same slot carry an older one and are ignored.
    let generation: UInt32
    var timer: EventLoop<HTTPSServerTimer>.TimerHandle? = nil
    var phase = Phase.handshaking
    var parser = HTTPRequestParser()
    var outbound: [UInt8] = []
    var outboundOffset = 0
    var discardedBytes = 0
    /// True while the event loop also waits for the socket to be writable.
    var waitsForWritable = false

    init(stream: StreamConnection, session: SecureSession, peer: SocketAddress, started: Instant, generation: UInt32) {
        self.stream = stream
        self.session = session
        self.peer = peer
        self.started = started
        self.generation = generation
    }

    var pendingOutboundBytes: Int { outbound.count - outboundOffset }

    /// Queues ciphertext for the socket.
    func queue(_ bytes: [UInt8]) {
        if outboundOffset == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundOffset = 0
        }
        outbound.append(contentsOf: bytes)
    }

    /// Writes what the socket takes now; true when nothing is left.
    func flush() throws(PlatformError) -> Bool {
        while outboundOffset < outbound.count {
            let written = try stream.write(outbound[outboundOffset...])
            if written == 0 { return false }
            outboundOffset += written
        }
        outbound.removeAll(keepingCapacity: true)
        outboundOffset = 0
        return true
    }
}

/// The server's timers: one per connection (its time limit) and the housekeeping tick.
public enum HTTPSServerTimer {
    case connection(slot: Int, generation: UInt32)
    case housekeeping
}
