import Reload
import Wire

/// Per-user and per-peer limits on what this peer stores (§13.5.2 and the board's
/// max-records). A user's usage counts every record signed by that user's certificate, on
/// every resource, replicas included.
public struct StorageQuota: Equatable, Sendable {
    public var recordsPerUser: UInt64
    public var bytesPerUser: UInt64
    /// The board's max-records: records this peer holds at most.
    public var recordsPerPeer: UInt64

    public init(recordsPerUser: UInt64, bytesPerUser: UInt64, recordsPerPeer: UInt64) {
        precondition(recordsPerUser >= 1 && bytesPerUser >= 1 && recordsPerPeer >= 1)
        self.recordsPerUser = recordsPerUser
        self.bytesPerUser = bytesPerUser
        self.recordsPerPeer = recordsPerPeer
    }
}

/// The storage semantics of RFC 6940 §7 over a RecordBackend: Store (with the checks of
/// §7.4.1.1 and §7.3), Fetch, Stat, Find, expiry and replica hand-off. No I/O besides the
/// backend; time comes in as `now`, a WallTime (to the millisecond, §7 storage_time's unit).
///
/// Every request runs in one backend transaction: a Store changes all its kinds or nothing
/// (§7.4.1.1), and its StoreAns exists only once the transaction committed.
public struct DataStore<Backend: RecordBackend> {
    public internal(set) var backend: Backend
    public var kinds: StorageKinds
    public var quota: StorageQuota
    /// The overlay's node-id-length, which is also its Resource-ID length (§10.2).
    public let nodeIdLength: Int

    public init(backend: Backend, kinds: StorageKinds, quota: StorageQuota, nodeIdLength: Int) {
        precondition(ReloadConstants.nodeIdLengthRange.contains(nodeIdLength))
        self.backend = backend
        self.kinds = kinds
        self.quota = quota
        self.nodeIdLength = nodeIdLength
    }

    /// Removes up to `limit` records whose lifetime ended at or before `now` (§7: lifetime;
    /// §7.4.1.3: expired tombstones go like any value), oldest first, in one transaction.
    /// Returns how many went; call again while it returns `limit`.
    public mutating func purgeExpired(now: WallTime, limit: Int) throws(StorageError) -> Int {
        precondition(limit >= 0)
        let slice = min(limit, StorageLimits.purgeSlice)
        return try backend.write { (transaction: inout Backend.Transaction) throws(StorageError) -> Int in
            let due = try transaction.entries(in: .expiry, from: [], limit: slice)
            var removed = 0
            for entry in due {
                guard entry.key.count > 8 else { throw .corruptRecord("expiry key") }
                var expiresMilliseconds: UInt64 = 0
                for byte in entry.key.prefix(8) { expiresMilliseconds = expiresMilliseconds << 8 | UInt64(byte) }
                if WallTime(millisecondsSince1970: expiresMilliseconds) > now { break }
                guard let key = RecordKey(bytes: Array(entry.key.dropFirst(8))) else { throw .corruptRecord("expiry key") }
                if try transaction.removeRecord(at: key) == nil {
                    try transaction.delete(entry.key, in: .expiry)  // an index entry without its record
                }
                removed += 1
            }
            return removed
        }
    }

    /// What `userName` holds on this peer.
    public func usage(userName: String) throws(StorageError) -> RecordUsage {
        let owner = Array(userName.utf8.prefix(StorageLimits.maximumUserNameBytes))
        return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> RecordUsage in
            try transaction.usage(owner: owner)
        }
    }

    /// The certificate `identity` names, if a value held here was signed with it or a
    /// CERTIFICATE_BY_NODE/USER value here holds it (§6.3.4, §8). The caller verifies it.
    public func certificate(for identity: SignerIdentity) throws(StorageError) -> [UInt8]? {
        return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> [UInt8]? in
            try transaction.certificate(for: identity)
        }
    }

    /// What the whole store holds.
    public func totalUsage() throws(StorageError) -> RecordUsage {
        return try backend.read { (transaction: inout Backend.Transaction) throws(StorageError) -> RecordUsage in
            try transaction.totalUsage()
        }
    }
}
