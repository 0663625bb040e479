import Wire

/// §6.5.1.1 AttachReqAns (both the request and the answer): ufrag<0..2^8-1> ‖
/// password<0..2^8-1> ‖ role<0..2^8-1> ("passive" in the request, "active" in the answer) ‖
/// IceCandidate candidates<0..2^16-1> ‖ send_update Boolean.
public struct AttachReqAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "AttachReqAns"
    public var ufrag: [UInt8]
    public var password: [UInt8]
    public var role: [UInt8]
    public var candidates: [IceCandidate]
    public var sendUpdate: Bool

    public init(ufrag: [UInt8], password: [UInt8], role: [UInt8], candidates: [IceCandidate], sendUpdate: Bool) {
        self.ufrag = ufrag
        self.password = password
        self.role = role
        self.candidates = candidates
        self.sendUpdate = sendUpdate
    }

    /// §6.5.1.1: "A single AttachReqAns MUST NOT include both candidates whose OverlayLinkType
    /// protocols use ICE (the default) and candidates that specify No-ICE." The node refuses
    /// such an Attach; the codec keeps it decodable so that it can be shown and answered.
    public var mixesIceAndNoIce: Bool {
        return candidates.contains { $0.overlayLink.isNoIce } && candidates.contains { !$0.overlayLink.isNoIce }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> AttachReqAns {
        let ufrag = try reader.readOpaque(1, "AttachReqAns.ufrag", configuration)
        let password = try reader.readOpaque(1, "AttachReqAns.password", configuration)
        let role = try reader.readOpaque(1, "AttachReqAns.role", configuration)
        let candidates: [IceCandidate] = try reader.readList(
            2, countLimit: ReloadLimits.iceCandidates, "AttachReqAns.candidates", configuration)
        let sendUpdate = try reader.readBoolean("AttachReqAns.send_update")
        return AttachReqAns(ufrag: ufrag, password: password, role: role, candidates: candidates, sendUpdate: sendUpdate)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(ufrag, lengthWidth: 1, "AttachReqAns.ufrag")
        try writer.writeOpaque(password, lengthWidth: 1, "AttachReqAns.password")
        try writer.writeOpaque(role, lengthWidth: 1, "AttachReqAns.role")
        try writer.writeList(candidates, 2, countLimit: ReloadLimits.iceCandidates, "AttachReqAns.candidates")
        writer.writeBoolean(sendUpdate)
    }
}
