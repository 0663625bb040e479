import Wire

/// §6.3.2.2: one entry of a via list or destination list. Either the TLV form (first bit 0):
/// type(1) ‖ length(1) ‖ DestinationData, with node(1) = NodeId, resource(2) = ResourceId,
/// opaque_id_type(3) = opaque<0..2^8-1>; or the 16-bit compressed opaque id whose top bit is 1.
public enum Destination: Hashable, ReloadCodable, Sendable {
    public static let rfcName = "Destination"

    case node(NodeId)
    case resource(ResourceId)
    case opaque([UInt8])
    /// The 16-bit form, top bit set (e.g. a connection-table index with a generation counter).
    case compressed(UInt16)

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> Destination {
        let start = reader.offset
        guard let first = reader.unreadBytes.first else {
            throw .truncated(field: "Destination.type", offset: start, needed: 1, available: 0)
        }
        if first & 0x80 != 0 {
            return .compressed(try reader.readUInt16("Destination.opaque_id"))
        }
        let type = try reader.readUInt8("Destination.type")
        var data = try reader.readContainer(1, "Destination.length", configuration)
        let destination: Destination
        switch type {
        case 1:
            try data.require(
                data.remaining == configuration.nodeIdLength, "Destination.length", at: start + 1,
                UInt64(data.remaining))
            destination = .node(try NodeId.decode(from: &data, configuration))
        case 2:
            destination = .resource(try ResourceId.decode(from: &data, configuration))
        case 3:
            destination = .opaque(try data.readOpaque(1, "Destination.opaque_id", configuration))
        default:
            throw .invalidValue(field: "Destination.type", offset: start, value: UInt64(type))
        }
        try data.expectEnd("Destination.destination_data")
        return destination
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .compressed(let value):
            precondition(value & 0x8000 != 0, "a compressed destination has its top bit set (§6.3.2.2)")
            writer.writeUInt16(value)
            return
        case .node:
            writer.writeUInt8(1)
        case .resource:
            writer.writeUInt8(2)
        case .opaque:
            writer.writeUInt8(3)
        }
        let mark = writer.beginContainer(lengthWidth: 1)
        switch self {
        case .node(let id): try id.encode(to: &writer)
        case .resource(let id): try id.encode(to: &writer)
        case .opaque(let bytes): try writer.writeOpaque(bytes, lengthWidth: 1, "Destination.opaque_id")
        case .compressed: break
        }
        try writer.endContainer(mark, "Destination.length")
    }

    /// The RFC's name of the destination type.
    public var typeName: String {
        switch self {
        case .node: return "node"
        case .resource: return "resource"
        case .opaque: return "opaque_id_type"
        case .compressed: return "compressed opaque_id"
        }
    }
}
