import Wire

/// §6.7 reassembly at the destination, as a value: fragments go in with the current time and
/// whole messages come out. Incomplete messages time out after 15 s (the maximum request
/// lifetime); the number of messages, fragments and bytes held is bounded
/// (`ReloadLimits.reassembly*`), and "if the receiver runs out of buffer space to reassemble a
/// message, it MUST drop the message". Fragments that overlap with different bytes, or that
/// disagree about the end, drop the message too.
public struct Reassembly {
    public enum Outcome: Equatable {
        /// A whole message: the input if it was not fragmented, or the reassembled message with
        /// the header of its first fragment, fragment field 0xC0000000 and the total length.
        case complete([UInt8])
        /// The fragment is held; the message is not complete yet.
        case pending
        case dropped(Drop)
    }

    public enum Drop: Equatable {
        case malformed(WireError)
        case messageTooLarge
        case tooManyMessages
        case outOfBufferSpace
        case tooManyFragments
        case conflictingFragments
    }

    struct Piece {
        var offset: Int
        var bytes: ArraySlice<UInt8>
        var end: Int { offset + bytes.count }
    }

    struct Buffer {
        var transactionId: UInt64
        var firstHeader: [UInt8]?
        var started: Instant
        var pieces: [Piece]
        var totalLength: Int?
        var heldBytes: Int
    }

    public let configuration: CodecConfiguration
    var buffers: [Buffer] = []
    /// Payload bytes held by all buffers.
    public private(set) var heldBytes = 0

    public init(configuration: CodecConfiguration) {
        self.configuration = configuration
    }

    /// Messages waiting for fragments.
    public var pendingMessages: Int { buffers.count }

    /// When the oldest incomplete message times out (for the node's timer queue).
    public var nextDeadline: Instant? {
        return buffers.map { $0.started.adding(milliseconds: ReloadConstants.reassemblyTimeoutMilliseconds) }.min()
    }

    /// Drops every message older than the timeout; returns how many were dropped.
    public mutating func expire(now: Instant) -> Int {
        let before = buffers.count
        var index = 0
        while index < buffers.count {
            if now >= buffers[index].started.adding(milliseconds: ReloadConstants.reassemblyTimeoutMilliseconds) {
                remove(at: index)
            } else {
                index += 1
            }
        }
        return before - buffers.count
    }

    /// Takes one received message or fragment (a whole RELOAD message as bytes).
    public mutating func add(_ fragment: [UInt8], now: Instant) -> Outcome {
        _ = expire(now: now)
        var reader = ByteReader(fragment)
        let header: ForwardingHeader
        do throws(WireError) {
            header = try ForwardingHeader.decode(from: &reader, configuration)
        } catch {
            return .dropped(.malformed(error))
        }
        if header.fragment.isWholeMessage { return .complete(fragment) }
        let headerLength = reader.offset
        let piece = Piece(offset: Int(header.fragment.offset), bytes: fragment[headerLength...])
        if headerLength + piece.end > configuration.maxMessageSize {
            removeBuffer(header.transactionId)
            return .dropped(.messageTooLarge)
        }
        let index: Int
        if let found = buffers.firstIndex(where: { $0.transactionId == header.transactionId }) {
            index = found
        } else {
            if buffers.count >= ReloadLimits.reassemblyBuffers { return .dropped(.tooManyMessages) }
            buffers.append(
                Buffer(transactionId: header.transactionId, started: now, pieces: [], heldBytes: 0))
            index = buffers.count - 1
        }
        let headerBytes = Array(fragment[0..<headerLength])
        return insert(piece, isLast: header.fragment.isLast, header: headerBytes, into: index)
    }

    mutating func insert(_ piece: Piece, isLast: Bool, header: [UInt8], into index: Int) -> Outcome {
        var buffer = buffers[index]
        if isLast {
            if let total = buffer.totalLength, total != piece.end { return drop(index, .conflictingFragments) }
            buffer.totalLength = piece.end
        }
        if let total = buffer.totalLength, piece.end > total || buffer.pieces.contains(where: { $0.end > total }) {
            return drop(index, .conflictingFragments)
        }
        for existing in buffer.pieces where existing.offset < piece.end && piece.offset < existing.end {
            if existing.offset == piece.offset && existing.bytes.elementsEqual(piece.bytes) {
                buffers[index] = buffer
                return .pending
            }
            return drop(index, .conflictingFragments)
        }
        if buffer.pieces.count >= ReloadLimits.fragmentsPerMessage { return drop(index, .tooManyFragments) }
        if heldBytes + piece.bytes.count > ReloadLimits.reassemblyBytes { return drop(index, .outOfBufferSpace) }
        let position = buffer.pieces.firstIndex(where: { $0.offset > piece.offset }) ?? buffer.pieces.count
        buffer.pieces.insert(piece, at: position)
        buffer.heldBytes += piece.bytes.count
        heldBytes += piece.bytes.count
        if piece.offset == 0 { buffer.firstHeader = header }
        buffers[index] = buffer
        return completeIfPossible(index)
    }

    mutating func completeIfPossible(_ index: Int) -> Outcome {
        let buffer = buffers[index]
        guard let total = buffer.totalLength, buffer.heldBytes == total, let header = buffer.firstHeader else {
            return .pending
        }
        var writer = ByteWriter(capacity: header.count + total)
        writer.writeBytes(header)
        for piece in buffer.pieces { writer.writeBytes(piece.bytes) }
        writer.patchUInt32(ReloadConstants.unfragmented, at: ReloadConstants.fragmentFieldOffset)
        writer.patchUInt32(UInt32(writer.count), at: ReloadConstants.lengthFieldOffset)
        remove(at: index)
        return .complete(writer.bytes)
    }

    mutating func drop(_ index: Int, _ reason: Drop) -> Outcome {
        remove(at: index)
        return .dropped(reason)
    }

    mutating func removeBuffer(_ transactionId: UInt64) {
        if let index = buffers.firstIndex(where: { $0.transactionId == transactionId }) { remove(at: index) }
    }

    mutating func remove(at index: Int) {
        heldBytes -= buffers[index].heldBytes
        buffers.remove(at: index)
    }
}
