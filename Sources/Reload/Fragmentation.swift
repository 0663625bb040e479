import Wire

/// §6.7 fragmentation: any node on the path may split a message (or a fragment of one) into
/// fragments, each a full copy of the forwarding header followed by an equal share of the
/// bytes after it. Offsets count from the end of the header; only the last fragment of the
/// original has the last-fragment bit. Each fragment MUST carry at least 256 bytes of the body;
/// when that is impossible within the size, RELOAD does not fragment (IP fragmentation may).
public enum Fragmentation {
    /// Fragments of at most `maximumBytes` bytes (the path MTU minus 32, §6.7), or the message
    /// itself when it fits or cannot be split.
    public static func fragment(
        _ message: [UInt8], maximumBytes: Int, _ configuration: CodecConfiguration
    ) throws(ReloadError) -> [[UInt8]] {
        var reader = ByteReader(message)
        let header: ForwardingHeader
        do throws(WireError) {
            header = try ForwardingHeader.decode(from: &reader, configuration)
        } catch {
            throw .malformed(error)
        }
        let headerLength = reader.offset
        let payload = reader.unreadBytes
        let room = maximumBytes - headerLength
        if message.count <= maximumBytes || room < ReloadConstants.minimumFragmentPayloadBytes {
            return [message]
        }
        let count = (payload.count + room - 1) / room
        let smallest = payload.count / count
        if smallest < ReloadConstants.minimumFragmentPayloadBytes {
            return [message]
        }
        return split(
            Array(message[0..<headerLength]), payload, count: count, original: header.fragment)
    }

    static func split(_ header: [UInt8], _ payload: ArraySlice<UInt8>, count: Int, original: Fragment) -> [[UInt8]] {
        precondition(count >= 2 && header.count >= ReloadConstants.forwardingHeaderFixedBytes)
        var fragments: [[UInt8]] = []
        let base = payload.count / count
        var start = payload.startIndex
        for index in 0..<count {
            let size = base + (index < payload.count % count ? 1 : 0)
            let offset = Int(original.offset) + (start - payload.startIndex)
            let fragment = Fragment(isLast: original.isLast && index == count - 1, offset: UInt32(offset))
            var writer = ByteWriter(capacity: header.count + size)
            writer.writeBytes(header)
            writer.writeBytes(payload[start..<(start + size)])
            writer.patchUInt32(fragment.rawValue, at: ReloadConstants.fragmentFieldOffset)
            writer.patchUInt32(UInt32(writer.count), at: ReloadConstants.lengthFieldOffset)
            fragments.append(writer.bytes)
            start += size
        }
        precondition(start == payload.endIndex)
        return fragments
    }
}
