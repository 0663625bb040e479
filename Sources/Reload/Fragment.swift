/// §6.7 fragment field of the forwarding header: the high bit is always set, then the
/// last-fragment bit, six reserved bits, and a 24-bit offset counted from the end of the
/// forwarding header. A whole message is the last fragment at offset 0: 0xC0000000.
public struct Fragment: Equatable, Sendable {
    public var isLast: Bool
    /// Bytes between the end of the forwarding header and the start of this fragment's data.
    public var offset: UInt32

    public init(isLast: Bool, offset: UInt32) {
        precondition(offset <= ReloadConstants.fragmentOffsetMask, "fragment offset has 24 bits")
        self.isLast = isLast
        self.offset = offset
    }

    public static let unfragmented = Fragment(isLast: true, offset: 0)

    /// §6.7: nil when the high bit is clear (SHOULD discard) or a reserved bit is set (we
    /// discard: RFC 6940 senders set them to zero).
    public init?(rawValue: UInt32) {
        guard rawValue & ReloadConstants.fragmentHighBit != 0,
            rawValue & ReloadConstants.fragmentReservedBits == 0
        else { return nil }
        self.init(
            isLast: rawValue & ReloadConstants.fragmentLastBit != 0,
            offset: rawValue & ReloadConstants.fragmentOffsetMask)
    }

    public var rawValue: UInt32 {
        return ReloadConstants.fragmentHighBit | (isLast ? ReloadConstants.fragmentLastBit : 0) | offset
    }

    /// True for a message that was not fragmented (or is fully reassembled).
    public var isWholeMessage: Bool { isLast && offset == 0 }
}
