/// What decoding needs to know about the overlay: the Node-ID length (§6.3.1.1, config
/// `node-id-length`), the largest message (§6.6, config `max-message-size`), the data model of
/// each kind (§7.2; the model is not on the wire), and the forwarding options and extensions
/// this node understands (none are defined by RFC 6940; a critical unknown one must be refused,
/// §6.3.2.3, §6.3.3).
public struct CodecConfiguration: Sendable {
    public var nodeIdLength: Int
    public var maxMessageSize: Int
    public var kinds: KindTable
    public var understoodForwardingOptions: [UInt8]
    public var understoodExtensions: [UInt16]

    public init(
        nodeIdLength: Int = ReloadConstants.defaultNodeIdLength,
        maxMessageSize: Int = ReloadConstants.defaultMaxMessageSize,
        kinds: KindTable = .iana,
        understoodForwardingOptions: [UInt8] = [],
        understoodExtensions: [UInt16] = []
    ) {
        // Callers validate configuration input (Config module, CLI) before building this.
        precondition(ReloadConstants.nodeIdLengthRange.contains(nodeIdLength), "node-id-length out of 16...20")
        precondition(
            maxMessageSize >= ReloadConstants.forwardingHeaderFixedBytes
                && maxMessageSize <= ReloadLimits.maxMessageSizeCeiling, "max-message-size out of range")
        self.nodeIdLength = nodeIdLength
        self.maxMessageSize = maxMessageSize
        self.kinds = kinds
        self.understoodForwardingOptions = understoodForwardingOptions
        self.understoodExtensions = understoodExtensions
    }

    /// The limit for a length field of `width` bytes: what the field can express, but never
    /// more than a whole message may hold.
    func lengthLimit(_ width: Int) -> Int {
        precondition(width >= 1 && width <= 4)
        // In UInt64: on 32-bit boards (1 << 32) - 1 does not fit Int.
        let fieldMaximum = (UInt64(1) << UInt64(8 * width)) - 1
        return Int(min(fieldMaximum, UInt64(maxMessageSize)))
    }
}
