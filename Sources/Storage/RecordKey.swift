import Reload
import Wire

/// Where one value lives: Resource-ID, Kind-ID and the place inside the kind's data model
/// (§7.2). Encoded as an LMDB key, in this order, so that all values of a (resource, kind) are
/// adjacent, arrays in index order, and resources in the order of their bytes (the ring order
/// for same-length Resource-IDs, which hand-off relies on):
///
///     resource length u8 ‖ resource ‖ kind u32 ‖ slot tag u8 ‖ (index u32 | dictionary key | nothing)
public struct RecordKey: Hashable, Sendable {
    /// The place of a value inside its kind (§7.2.1-§7.2.3).
    public enum Slot: Hashable, Sendable {
        case single
        case array(index: UInt32)
        case dictionary(key: [UInt8])

        var tag: UInt8 {
            switch self {
            case .single: return 0
            case .array: return 1
            case .dictionary: return 2
            }
        }
    }

    public var resource: ResourceId
    public var kind: KindId
    public var slot: Slot

    public init(resource: ResourceId, kind: KindId, slot: Slot) {
        self.resource = resource
        self.kind = kind
        self.slot = slot
    }

    /// The slot a stored value names (an append's index is assigned by the store).
    public init(resource: ResourceId, kind: KindId, value: StoredDataValue) {
        let slot: Slot
        switch value {
        case .single: slot = .single
        case .array(let entry): slot = .array(index: entry.index)
        case .dictionary(let entry): slot = .dictionary(key: entry.key)
        }
        self.init(resource: resource, kind: kind, slot: slot)
    }

    /// Callers check the resource and key lengths against StorageLimits first.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: StorageLimits.maximumRecordKeyBytes)
        writer.writeBytes(RecordKey.prefix(resource: resource, kind: kind))
        writer.writeUInt8(slot.tag)
        switch slot {
        case .single: break
        case .array(let index): writer.writeUInt32(index)
        case .dictionary(let key): writer.writeBytes(key)
        }
        precondition(writer.count <= StorageLimits.maximumRecordKeyBytes, "record key over its limit")
        return writer.bytes
    }

    /// The key prefix of every value of a resource.
    public static func prefix(resource: ResourceId) -> [UInt8] {
        precondition(resource.bytes.count <= StorageLimits.maximumResourceIdBytes)
        return [UInt8(resource.bytes.count)] + resource.bytes
    }

    /// The key prefix of every value of a (resource, kind).
    public static func prefix(resource: ResourceId, kind: KindId) -> [UInt8] {
        var writer = ByteWriter(capacity: 6 + resource.bytes.count)
        writer.writeBytes(prefix(resource: resource))
        writer.writeUInt32(kind.rawValue)
        return writer.bytes
    }

    /// Parses a key read back from the store; nil when it is not one we wrote.
    public init?(bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        do throws(WireError) {
            let length = Int(try reader.readUInt8("resource length"))
            guard length <= StorageLimits.maximumResourceIdBytes,
                let resource = ResourceId(bytes: try reader.readBytes(length, "resource"))
            else { return nil }
            let kind = KindId(try reader.readUInt32("kind"))
            let slot: Slot
            switch try reader.readUInt8("slot") {
            case 0: slot = .single
            case 1: slot = .array(index: try reader.readUInt32("index"))
            case 2: slot = .dictionary(key: try reader.readBytes(reader.remaining, "key"))
            default: return nil
            }
            try reader.expectEnd("record key")
            self.init(resource: resource, kind: kind, slot: slot)
        } catch {
            return nil
        }
    }
}
