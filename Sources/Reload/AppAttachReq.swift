import Wire

/// §6.5.2 AppAttachReq and AppAttachAns (the same structure): ufrag<0..2^8-1> ‖
/// password<0..2^8-1> ‖ application u16 (an Application-ID, §14.5: SIP 5060/5061) ‖
/// role<0..2^8-1> ‖ IceCandidate candidates<0..2^16-1>.
public struct AppAttachReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "AppAttachReq"
    public var ufrag: [UInt8]
    public var password: [UInt8]
    public var application: UInt16
    public var role: [UInt8]
    public var candidates: [IceCandidate]

    public init(ufrag: [UInt8], password: [UInt8], application: UInt16, role: [UInt8], candidates: [IceCandidate]) {
        self.ufrag = ufrag
        self.password = password
        self.application = application
        self.role = role
        self.candidates = candidates
    }

    /// §6.5.1.1, which AppAttach follows (§6.5.2): ICE and No-ICE candidates are not mixed.
    public var mixesIceAndNoIce: Bool {
        return candidates.contains { $0.overlayLink.isNoIce } && candidates.contains { !$0.overlayLink.isNoIce }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> AppAttachReq {
        let ufrag = try reader.readOpaque(1, "AppAttachReq.ufrag", configuration)
        let password = try reader.readOpaque(1, "AppAttachReq.password", configuration)
        let application = try reader.readUInt16("AppAttachReq.application")
        let role = try reader.readOpaque(1, "AppAttachReq.role", configuration)
        let candidates: [IceCandidate] = try reader.readList(
            2, countLimit: ReloadLimits.iceCandidates, "AppAttachReq.candidates", configuration)
        return AppAttachReq(ufrag: ufrag, password: password, application: application, role: role, candidates: candidates)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeOpaque(ufrag, lengthWidth: 1, "AppAttachReq.ufrag")
        try writer.writeOpaque(password, lengthWidth: 1, "AppAttachReq.password")
        writer.writeUInt16(application)
        try writer.writeOpaque(role, lengthWidth: 1, "AppAttachReq.role")
        try writer.writeList(candidates, 2, countLimit: ReloadLimits.iceCandidates, "AppAttachReq.candidates")
    }
}

/// §6.5.2.2: AppAttachAns has the fields of AppAttachReq.
public typealias AppAttachAns = AppAttachReq
