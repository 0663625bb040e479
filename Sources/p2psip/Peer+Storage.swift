import Config
import Crypto
import Node
import Peer
import Platform
import Reload
import Storage
import Wire

// The record store of a peer process (RFC 6940 §7): LMDB in `--data-dir` (board keys
// lmdb-map-size, storage-sync), opened before the core starts and fsynced on the board's
// policy (file I/O: the driver's part, not the core's).
extension Peer {
    static func openRecordStore(_ setup: PeerSetup) throws(CommandFailure) -> LMDBBackend {
        let directory = setup.dataDirectory + "/records"
        do throws(PlatformError) {
            try FileSystem.prepareDataDirectory(setup.dataDirectory)
            try FileSystem.makeDirectory(directory, mode: 0o700, createParents: true)
        } catch {
            throw .failed("data-dir \(setup.dataDirectory): \(error.description)")
        }
        let sync: LMDBEnvironment.Sync
        switch setup.board.storageSync {
        case .everyCommit: sync = .everyCommit
        case .periodic: sync = .periodic
        }
        do throws(StorageError) {
            return try LMDBBackend(directory: directory, mapSizeBytes: Int(setup.board.lmdbMapSizeBytes), sync: sync)
        } catch {
            throw .failed("record store in \(directory): \(error.description)")
        }
    }

    /// storage-sync = periodic: fsync the environment every storage-sync-interval-ms.
    func syncStorageIfDue(_ now: Instant) {
        guard case .periodic(let interval) = setup.board.storageSync else { return }
        guard let due = nextStorageSync else {
            nextStorageSync = now.adding(milliseconds: UInt64(max(1, interval)))
            return
        }
        guard due <= now else { return }
        syncStorage()
        nextStorageSync = now.adding(milliseconds: UInt64(max(1, interval)))
    }

    func syncStorage() {
        guard case .periodic = setup.board.storageSync else { return }
        do throws(StorageError) {
            try core.node.records.backend.sync()
        } catch {
            log(.error, "record store sync: \(error.description)")
        }
    }
}
