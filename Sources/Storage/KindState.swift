import Reload
import Wire

/// What the store keeps per (resource, kind) besides the values (the `kinds` table):
///
///     generation u64 ‖ records u32 ‖ next array index u64
///
/// `generation` is the §7.4.1.1 generation counter (0 = never written); `records` the values
/// held (tombstones included); `nextArrayIndex` one past the highest array index ever stored
/// while the (resource, kind) had values, where an append goes (§7.4.1.1: index 0xffffffff
/// "places the new value at the end of the array"). The row goes when the last value goes.
public struct KindState: Equatable, Sendable {
    public var generation: UInt64
    public var records: UInt32
    public var nextArrayIndex: UInt64

    public init(generation: UInt64 = 0, records: UInt32 = 0, nextArrayIndex: UInt64 = 0) {
        self.generation = generation
        self.records = records
        self.nextArrayIndex = nextArrayIndex
    }

    /// kind u32 ‖ resource length u8 ‖ resource: kind-major, so that Find (§7.4.4) walks the
    /// resources of one kind in order.
    public static func key(resource: ResourceId, kind: KindId) -> [UInt8] {
        var writer = ByteWriter(capacity: 5 + resource.bytes.count)
        writer.writeUInt32(kind.rawValue)
        writer.writeBytes(RecordKey.prefix(resource: resource))
        return writer.bytes
    }

    /// The resource of a `kinds` key of `kind`; nil for another kind or a damaged key.
    static func resource(fromKey key: [UInt8], kind: KindId) -> ResourceId? {
        var reader = ByteReader(key)
        do throws(WireError) {
            guard try reader.readUInt32("kind") == kind.rawValue else { return nil }
            let length = Int(try reader.readUInt8("resource length"))
            let resource = try reader.readBytes(length, "resource")
            try reader.expectEnd("kinds key")
            return ResourceId(bytes: resource)
        } catch {
            return nil
        }
    }

    var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 20)
        writer.writeUInt64(generation)
        writer.writeUInt32(records)
        writer.writeUInt64(nextArrayIndex)
        return writer.bytes
    }

    init(bytes: [UInt8]) throws(StorageError) {
        var reader = ByteReader(bytes)
        do throws(WireError) {
            generation = try reader.readUInt64("generation")
            records = try reader.readUInt32("records")
            nextArrayIndex = try reader.readUInt64("next index")
            try reader.expectEnd("kind state")
        } catch {
            throw .corruptRecord("kind state: " + error.description)
        }
    }
}
