/// The in-memory transport between a session and mbedTLS's BIO callbacks: a FIFO of byte
/// chunks bounded both in chunks and in bytes. In datagram mode a chunk is one datagram and is
/// read whole (like recvfrom); in stream mode reads take any number of bytes across chunks.
/// At a bound, a push is refused (the caller drops and counts, or tells mbedTLS to wait).
struct TransportQueue {
    let maximumChunks: Int
    let maximumBytes: Int
    let isDatagram: Bool
    private(set) var chunks: [[UInt8]] = []
    /// Bytes held, not counting what stream reads already took from the first chunk.
    private(set) var byteCount = 0
    /// The most chunks and bytes ever held at once (tests check the bounds with these).
    private(set) var highWaterChunks = 0
    private(set) var highWaterBytes = 0
    private var frontOffset = 0
    /// Slots allocated up front: every queue a session has is small.
    static let reservedChunks = 64

    init(maximumChunks: Int, maximumBytes: Int, isDatagram: Bool) {
        precondition(maximumChunks > 0 && maximumBytes > 0)
        self.maximumChunks = maximumChunks
        self.maximumBytes = maximumBytes
        self.isDatagram = isDatagram
        chunks.reserveCapacity(min(maximumChunks, TransportQueue.reservedChunks))
    }

    var isEmpty: Bool { chunks.isEmpty }
    var freeBytes: Int { chunks.count < maximumChunks ? maximumBytes - byteCount : 0 }

    /// Appends a chunk if both bounds allow it; false (and nothing changed) otherwise.
    mutating func push<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        guard !bytes.isEmpty, chunks.count < maximumChunks, bytes.count <= maximumBytes - byteCount else { return false }
        chunks.append(Array(bytes))
        byteCount += bytes.count
        highWaterChunks = max(highWaterChunks, chunks.count)
        highWaterBytes = max(highWaterBytes, byteCount)
        return true
    }

    /// Copies the next datagram (datagram mode, truncated to `capacity` as a socket would) or
    /// up to `capacity` bytes (stream mode) into `buffer`; nil when empty.
    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        guard !chunks.isEmpty, capacity > 0 else { return nil }
        if isDatagram {
            let datagram = chunks.removeFirst()
            byteCount -= datagram.count
            let count = min(capacity, datagram.count)
            datagram.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: count) }
            return count
        }
        var copied = 0
        while copied < capacity, !chunks.isEmpty {
            let front = chunks[0]
            let count = min(capacity - copied, front.count - frontOffset)
            front.withUnsafeBufferPointer { (buffer + copied).update(from: $0.baseAddress! + frontOffset, count: count) }
            copied += count
            frontOffset += count
            byteCount -= count
            if frontOffset == front.count {
                chunks.removeFirst()
                frontOffset = 0
            }
        }
        return copied
    }

    /// Everything held, in order (stream mode: what remains of the first chunk).
    mutating func takeAll() -> [[UInt8]] {
        guard !chunks.isEmpty else { return [] }
        var all = chunks
        if frontOffset > 0 { all[0] = Array(all[0][frontOffset...]) }
        chunks.removeAll(keepingCapacity: true)
        byteCount = 0
        frontOffset = 0
        return all
    }

    mutating func removeAll() {
        chunks.removeAll(keepingCapacity: true)
        byteCount = 0
        frontOffset = 0
    }
}
