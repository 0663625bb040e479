import Wire

/// §10.7 ChordUpdate, the UpdateReq body of CHORD-RELOAD: uptime u32 (seconds) ‖ type(1) ‖
/// select: peer_ready(1) → nothing; neighbors(2) → predecessors ‖ successors; full(3) →
/// predecessors ‖ successors ‖ fingers; each `NodeId list<0..2^16-1>`.
public struct ChordUpdate: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ChordUpdate"

    public enum UpdateType: Equatable, Sendable {
        case peerReady
        case neighbors(predecessors: [NodeId], successors: [NodeId])
        case full(predecessors: [NodeId], successors: [NodeId], fingers: [NodeId])

        public var rawValue: UInt8 {
            switch self {
            case .peerReady: return 1
            case .neighbors: return 2
            case .full: return 3
            }
        }

        public var name: String {
            switch self {
            case .peerReady: return "peer_ready"
            case .neighbors: return "neighbors"
            case .full: return "full"
            }
        }
    }

    public var uptime: UInt32
    public var type: UpdateType

    public init(uptime: UInt32, type: UpdateType) {
        self.uptime = uptime
        self.type = type
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ChordUpdate {
        let uptime = try reader.readUInt32("ChordUpdate.uptime")
        let typeOffset = reader.offset
        let rawType = try reader.readUInt8("ChordUpdate.type")
        switch rawType {
        case 1:
            return ChordUpdate(uptime: uptime, type: .peerReady)
        case 2, 3:
            let predecessors = try readNodeIds(&reader, "ChordUpdate.predecessors", configuration)
            let successors = try readNodeIds(&reader, "ChordUpdate.successors", configuration)
            if rawType == 2 {
                return ChordUpdate(uptime: uptime, type: .neighbors(predecessors: predecessors, successors: successors))
            }
            let fingers = try readNodeIds(&reader, "ChordUpdate.fingers", configuration)
            return ChordUpdate(
                uptime: uptime, type: .full(predecessors: predecessors, successors: successors, fingers: fingers))
        default:
            throw .invalidValue(field: "ChordUpdate.type", offset: typeOffset, value: UInt64(rawType))
        }
    }

    static func readNodeIds(
        _ reader: inout ByteReader, _ field: String, _ configuration: CodecConfiguration
    ) throws(WireError) -> [NodeId] {
        return try reader.readList(2, countLimit: ReloadLimits.nodeIds, field, configuration)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt32(uptime)
        writer.writeUInt8(type.rawValue)
        switch type {
        case .peerReady:
            break
        case .neighbors(let predecessors, let successors):
            try writer.writeList(predecessors, 2, countLimit: ReloadLimits.nodeIds, "ChordUpdate.predecessors")
            try writer.writeList(successors, 2, countLimit: ReloadLimits.nodeIds, "ChordUpdate.successors")
        case .full(let predecessors, let successors, let fingers):
            try writer.writeList(predecessors, 2, countLimit: ReloadLimits.nodeIds, "ChordUpdate.predecessors")
            try writer.writeList(successors, 2, countLimit: ReloadLimits.nodeIds, "ChordUpdate.successors")
            try writer.writeList(fingers, 2, countLimit: ReloadLimits.nodeIds, "ChordUpdate.fingers")
        }
    }
}
