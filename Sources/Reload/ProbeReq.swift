import Wire

/// §6.4.2.5.1 ProbeReq: ProbeInformationType requested_info<0..2^8-1>.
public struct ProbeReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ProbeReq"
    public var requestedInfo: [ProbeInformationType]

    public init(requestedInfo: [ProbeInformationType]) {
        self.requestedInfo = requestedInfo
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ProbeReq {
        return ProbeReq(
            requestedInfo: try reader.readList(
                1, countLimit: ReloadLimits.probeInformation, "ProbeReq.requested_info", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(requestedInfo, 1, countLimit: ReloadLimits.probeInformation, "ProbeReq.requested_info")
    }
}
