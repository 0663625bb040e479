import Wire

/// Records and bytes one user holds on this peer (the per-user quota), or the whole store
/// holds (the `total` row): records u64 ‖ bytes u64 in the `usage` table.
public struct RecordUsage: Equatable, Sendable {
    public var records: UInt64
    public var bytes: UInt64

    public init(records: UInt64 = 0, bytes: UInt64 = 0) {
        self.records = records
        self.bytes = bytes
    }

    /// The usage row of a user: "u" ‖ user name (never empty, unlike the name).
    static func key(owner: [UInt8]) -> [UInt8] { [0x75] + owner }
    /// The row of the whole store: "t".
    static let totalKey: [UInt8] = [0x74]

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 16)
        writer.writeUInt64(records)
        writer.writeUInt64(bytes)
        return writer.bytes
    }

    init(encoded: [UInt8]) throws(StorageError) {
        var reader = ByteReader(encoded)
        do throws(WireError) {
            records = try reader.readUInt64("records")
            bytes = try reader.readUInt64("bytes")
            try reader.expectEnd("usage")
        } catch {
            throw .corruptRecord("usage: " + error.description)
        }
    }

    /// Adds (`sign` +1) or removes (-1) one record of `size` bytes; never below zero.
    mutating func account(bytes size: UInt64, sign: Int) {
        precondition(sign == 1 || sign == -1)
        if sign > 0 {
            records &+= 1
            bytes &+= size
        } else {
            records = records > 0 ? records - 1 : 0
            bytes = bytes > size ? bytes - size : 0
        }
    }
}
