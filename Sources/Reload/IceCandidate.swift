import Wire

/// §6.5.1.1 IceCandidate: addr_port ‖ overlay_link ‖ foundation<0..255> ‖ priority u32 ‖
/// type (‖ rel_addr_port for srflx and relay) ‖ IceExtension extensions<0..2^16-1>.
/// A No-ICE candidate (§6.5.1.11) is the same structure with a No-ICE overlay_link.
public struct IceCandidate: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "IceCandidate"
    public var addrPort: IpAddressPort
    public var overlayLink: OverlayLinkType
    public var foundation: [UInt8]
    public var priority: UInt32
    public var type: CandType
    public var extensions: [IceExtension]

    public init(
        addrPort: IpAddressPort, overlayLink: OverlayLinkType, foundation: [UInt8], priority: UInt32,
        type: CandType, extensions: [IceExtension] = []
    ) {
        self.addrPort = addrPort
        self.overlayLink = overlayLink
        self.foundation = foundation
        self.priority = priority
        self.type = type
        self.extensions = extensions
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> IceCandidate {
        let addrPort = try IpAddressPort.decode(from: &reader, configuration)
        let overlayLink = try OverlayLinkType.decode(from: &reader, configuration)
        let foundation = try reader.readOpaque(1, "IceCandidate.foundation", configuration)
        let priority = try reader.readUInt32("IceCandidate.priority")
        let typeOffset = reader.offset
        let rawType = try reader.readUInt8("IceCandidate.type")
        let type: CandType
        switch rawType {
        case 1: type = .host
        case 2: type = .srflx(relAddrPort: try IpAddressPort.decode(from: &reader, configuration))
        case 4: type = .relay(relAddrPort: try IpAddressPort.decode(from: &reader, configuration))
        default: throw .invalidValue(field: "IceCandidate.type", offset: typeOffset, value: UInt64(rawType))
        }
        let extensions: [IceExtension] = try reader.readList(
            2, countLimit: ReloadLimits.iceExtensions, "IceCandidate.extensions", configuration)
        return IceCandidate(
            addrPort: addrPort, overlayLink: overlayLink, foundation: foundation, priority: priority, type: type,
            extensions: extensions)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try addrPort.encode(to: &writer)
        try overlayLink.encode(to: &writer)
        try writer.writeOpaque(foundation, lengthWidth: 1, "IceCandidate.foundation")
        writer.writeUInt32(priority)
        writer.writeUInt8(type.rawValue)
        if let related = type.relAddrPort { try related.encode(to: &writer) }
        try writer.writeList(extensions, 2, countLimit: ReloadLimits.iceExtensions, "IceCandidate.extensions")
    }
}
