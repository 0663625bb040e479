import Wire

/// §6.4.2.5.2 ProbeAns: ProbeInformation probe_info<0..2^16-1>.
public struct ProbeAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ProbeAns"
    public var probeInfo: [ProbeInformation]

    public init(probeInfo: [ProbeInformation]) {
        self.probeInfo = probeInfo
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ProbeAns {
        return ProbeAns(
            probeInfo: try reader.readList(2, countLimit: ReloadLimits.probeInformation, "ProbeAns.probe_info", configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try writer.writeList(probeInfo, 2, countLimit: ReloadLimits.probeInformation, "ProbeAns.probe_info")
    }
}
