/// Numbers RFC 6940 fixes, each with the section that fixes it. Our own limits live apart in
/// `ReloadLimits`, so that a reader can tell a protocol constant from an implementation choice.
public enum ReloadConstants: Sendable {
    /// §6.3.2: "RELO" with the high bit of the first byte set.
    public static let reloToken: UInt32 = 0xD245_4C4F
    /// §6.3.2: version 1.0 times ten; nodes MUST reject other versions.
    public static let version: UInt8 = 0x0A
    /// §6.3.2: relo_token .. options_length, before the three lists.
    public static let forwardingHeaderFixedBytes = 38
    /// §6.3.2: byte offset of the fragment field inside the forwarding header.
    public static let fragmentFieldOffset = 12
    /// §6.3.2: byte offset of the length field inside the forwarding header.
    public static let lengthFieldOffset = 16
    /// §6.3.1.1 and §11.1: node-id-length is 16..20 bytes, 16 by default.
    public static let nodeIdLengthRange = 16...20
    public static let defaultNodeIdLength = 16
    /// §6.6 and §11.1: max-message-size default.
    public static let defaultMaxMessageSize = 5000
    /// §6.3.2: the initial TTL SHOULD be 100.
    public static let defaultInitialTTL: UInt8 = 100
    /// §6.3.1.1: a ResourceId is opaque<0..2^8-1>.
    public static let maxResourceIdBytes = 255
    /// §6.7: a message that is not fragmented is "the last fragment at offset 0".
    public static let unfragmented: UInt32 = 0xC000_0000
    /// §6.7: the fragment field's high bit MUST be set.
    public static let fragmentHighBit: UInt32 = 0x8000_0000
    /// §6.7: the last-fragment bit.
    public static let fragmentLastBit: UInt32 = 0x4000_0000
    /// §6.7: six reserved bits, SHOULD be zero.
    public static let fragmentReservedBits: UInt32 = 0x3F00_0000
    /// §6.7: the remaining 24 bits are the offset from the end of the forwarding header.
    public static let fragmentOffsetMask: UInt32 = 0x00FF_FFFF
    /// §6.7: each fragment MUST carry at least 256 bytes of the message body.
    public static let minimumFragmentPayloadBytes = 256
    /// §6.7: fragments SHOULD be no larger than the path MTU minus 32 bytes.
    public static let fragmentMTUReserveBytes = 32
    /// §6.7: incomplete fragments SHOULD time out after the maximum request lifetime, 15 s.
    public static let reassemblyTimeoutMilliseconds: UInt64 = 15_000
    /// §6.6.2: FramedMessage data = type(1) sequence(4) length(3), then the message.
    public static let framedDataHeaderBytes = 8
    /// §6.6.2: FramedMessage ack = type(1) ack_sequence(4) received(4).
    public static let framedAckBytes = 9
    /// §6.6.2: message opaque<0..2^24-1> inside a data frame.
    public static let maxFramedMessageBytes = (1 << 24) - 1
    /// §6.3.3: the error message code.
    public static let errorMessageCode: UInt16 = 0xFFFF
}
