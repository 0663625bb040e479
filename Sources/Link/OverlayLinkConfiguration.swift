import Reload

/// What every overlay link of a peer shares besides its DTLS configuration: the overlay's
/// codec settings (node-id-length and max-message-size, RFC 6940 §11.1), the Simple
/// Reliability sender (§6.6.3.1), the largest frame, and whether fragments are reassembled.
public struct OverlayLinkConfiguration: Sendable {
    public var codec: CodecConfiguration
    public var reliability: ReliabilityConfiguration
    /// The largest FramedMessage (the plaintext of one DTLS record) the link sends. The
    /// datagram MTU of the DTLS configuration lowers it to what fits in one datagram; larger
    /// messages are cut into fragments (§6.7) before they are framed.
    public var maximumFramePayloadBytes: Int
    /// True: fragments that arrive are held until their message is whole (§6.7, bounded by
    /// `ReloadLimits.reassembly*`, 15 s), so `delivered` always carries whole messages. False:
    /// fragments are delivered as they come (a transit peer may forward them unassembled).
    public var reassemblesFragments: Bool

    public init(
        codec: CodecConfiguration = CodecConfiguration(), reliability: ReliabilityConfiguration = ReliabilityConfiguration(),
        maximumFramePayloadBytes: Int = LinkLimits.defaultFramePayloadBytes, reassemblesFragments: Bool = true
    ) {
        self.codec = codec
        self.reliability = reliability
        self.maximumFramePayloadBytes = maximumFramePayloadBytes
        self.reassemblesFragments = reassemblesFragments
    }

    /// The largest frame for DTLS records within `datagramMTU`: the MTU less the record header
    /// and the most our cipher suites add, and never more than configured.
    public func framePayloadLimit(datagramMTU: UInt16) -> Int {
        let fits = Int(datagramMTU) - LinkLimits.dtlsRecordHeaderBytes - LinkLimits.dtlsRecordExpansionBytes
        return min(maximumFramePayloadBytes, fits, LinkLimits.maximumPlaintextRecordBytes)
    }

    /// nil when usable with `datagramMTU`, else what is wrong.
    public func problem(datagramMTU: UInt16) -> String? {
        if let reliabilityProblem = reliability.problem { return reliabilityProblem }
        let limit = framePayloadLimit(datagramMTU: datagramMTU)
        if limit < LinkLimits.minimumFramePayloadBytes {
            return "frame payload of \(limit) bytes (at least \(LinkLimits.minimumFramePayloadBytes))"
        }
        return nil
    }
}
