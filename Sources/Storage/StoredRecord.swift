import Reload
import Wire

/// One stored value as the records table holds it: our bookkeeping, then the StoredData of
/// RFC 6940 §7 exactly as it goes on the wire (storage_time, lifetime as received, value with
/// its real array index, signature):
///
///     format u8 (2) ‖ expires u64 (ms since 1970) ‖ owner opaque<0..255>
///         ‖ key count u8 ‖ certificate keys opaque<0..255>* ‖ StoredData
///
/// `expires` is storage_time plus lifetime (`StoredRecord.expiry`), both from the StoredData,
/// not our receipt time plus lifetime as §7's "starting from the time the peer receives the
/// StoreReq" reads: with receipt time, a captured StoreReq sent again after its value expired
/// would store it again for a whole new lifetime, as often as it is replayed. storage_time is
/// signed (§7.1), so the expiry can only be moved by the owner; StorePlanner.checkTimes holds
/// storage_time to our clock within `StorageLimits.clockSkewAllowanceMilliseconds`, so the two
/// readings differ by at most that. `owner` is the user name of the value's signer, whose quota
/// the record counts against; the certificate keys name the rows of the `certificates` table
/// this record holds a reference to (its signer's certificate, and for CERTIFICATE_BY_NODE/USER
/// the certificate it stores). Format 1, written before the certificate table, has no keys
/// and is still read.
public struct StoredRecord: Equatable, Sendable {
    static let format: UInt8 = 2
    static let formatWithoutCertificates: UInt8 = 1

    public var expires: WallTime
    public var owner: [UInt8]
    public var certificateKeys: [[UInt8]]
    public var storedData: [UInt8]

    public init(expires: WallTime, owner: [UInt8], certificateKeys: [[UInt8]] = [], storedData: [UInt8]) {
        precondition(owner.count <= StorageLimits.maximumUserNameBytes)
        precondition(certificateKeys.count <= StorageLimits.certificateKeysPerRecord)
        precondition(certificateKeys.allSatisfy { !$0.isEmpty && $0.count <= CertificateKey.maximumBytes })
        self.expires = expires
        self.owner = owner
        self.certificateKeys = certificateKeys
        self.storedData = storedData
    }

    /// Bytes this record counts for in a quota: the StoredData as stored.
    public var quotaBytes: UInt64 { UInt64(storedData.count) }

    public func isExpired(now: WallTime) -> Bool { expires <= now }

    /// When a value stored at `storageTime` (ms since 1970) with `lifetime` (seconds) expires:
    /// their sum (§7), saturating.
    public static func expiry(storageTime: UInt64, lifetime: UInt32) -> WallTime {
        WallTime(millisecondsSince1970: storageTime).adding(seconds: Int64(lifetime))
    }

    /// The lifetime field of a copy this peer sends (replica, hand-off, §10.4, §10.7.3): the
    /// seconds from the value's storage_time to its expiry here, rounded up, so that the
    /// receiver's storage_time + lifetime is the same expiry. This is how §7.4.1.1's "adjust
    /// the lifetime value downward" comes out when expiry counts from storage_time: the expiry
    /// does not move with each copy (and a tombstone's lifetime keeps the extension of §7.4.1.3).
    public func lifetimeFromStorageTime(_ storageTime: UInt64) -> UInt32 {
        let seconds = (expires.milliseconds(since: WallTime(millisecondsSince1970: storageTime)) + 999) / 1000
        return UInt32(min(seconds, UInt64(UInt32.max)))
    }

    /// The StoredData as a copy for another peer carries it (see `lifetimeFromStorageTime`).
    public func copiedStoredData(model: DataModel) throws(StorageError) -> StoredData {
        do throws(WireError) {
            var data = try StoredData.decode(model: model, bytes: storedData)
            data.lifetime = lifetimeFromStorageTime(data.storageTime)
            return data
        } catch {
            throw .corruptRecord("StoredData: " + error.description)
        }
    }

    /// Seconds left, rounded up, for the lifetime field of a value a Fetch returns (what the
    /// fetcher may still rely on it).
    public func remainingLifetime(now: WallTime) -> UInt32 {
        if expires <= now { return 0 }
        let seconds = (expires.milliseconds(since: now) + 999) / 1000
        return UInt32(min(seconds, UInt64(UInt32.max)))
    }

    /// The StoredData with the lifetime that is left at `now`.
    public func storedData(model: DataModel, now: WallTime) throws(StorageError) -> StoredData {
        do throws(WireError) {
            var data = try StoredData.decode(model: model, bytes: storedData)
            data.lifetime = remainingLifetime(now: now)
            return data
        } catch {
            throw .corruptRecord("StoredData: " + error.description)
        }
    }

    /// The `expiry` table's key: expires u64 ‖ record key, so the table is in expiry order.
    static func expiryKey(_ expires: WallTime, _ recordKey: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: 8 + recordKey.count)
        writer.writeUInt64(expires.millisecondsSince1970)
        writer.writeBytes(recordKey)
        return writer.bytes
    }

    public var bytes: [UInt8] {
        let keyBytes = certificateKeys.reduce(0) { $0 + 1 + $1.count }
        var writer = ByteWriter(capacity: 11 + owner.count + keyBytes + storedData.count)
        writer.writeUInt8(StoredRecord.format)
        writer.writeUInt64(expires.millisecondsSince1970)
        writer.writeUInt8(UInt8(owner.count))
        writer.writeBytes(owner)
        writer.writeUInt8(UInt8(certificateKeys.count))
        for key in certificateKeys {
            writer.writeUInt8(UInt8(key.count))
            writer.writeBytes(key)
        }
        writer.writeBytes(storedData)
        return writer.bytes
    }

    public init(bytes: [UInt8]) throws(StorageError) {
        var reader = ByteReader(bytes)
        do throws(WireError) {
            let format = try reader.readUInt8("format")
            guard format == StoredRecord.format || format == StoredRecord.formatWithoutCertificates else {
                throw WireError.invalidValue(field: "format", offset: 0, value: UInt64(format))
            }
            let expires = try reader.readUInt64("expires")
            let owner = try reader.readBytes(Int(try reader.readUInt8("owner length")), "owner")
            var keys: [[UInt8]] = []
            if format == StoredRecord.format {
                let count = Int(try reader.readUInt8("certificate key count"))
                guard count <= StorageLimits.certificateKeysPerRecord else {
                    throw WireError.countOverLimit(field: "certificate keys", offset: reader.offset, limit: StorageLimits.certificateKeysPerRecord)
                }
                for _ in 0..<count {
                    let length = Int(try reader.readUInt8("certificate key length"))
                    guard length >= 1 && length <= CertificateKey.maximumBytes else {
                        throw WireError.invalidValue(field: "certificate key length", offset: reader.offset, value: UInt64(length))
                    }
                    keys.append(try reader.readBytes(length, "certificate key"))
                }
            }
            self.init(
                expires: WallTime(millisecondsSince1970: expires), owner: owner, certificateKeys: keys, storedData: try reader.readBytes(reader.remaining, "data"))
        } catch {
            throw .corruptRecord("record: " + error.description)
        }
    }

}
