import Config
import Crypto
import Node
import Platform
import Reload
import Storage
import Wire

// The record store of a peer process (RFC 6940 §7): LMDB in `--data-dir` (board keys
// lmdb-map-size, storage-sync), and the control socket's storage requests. The CLI
// (StorageCommand) resolves names to numbers and hashes; the requests here are words:
//
//     put RESOURCE KIND SLOT VALUE LIFETIME   the peer signs the value with its own key
//     relay MESSAGE                           a client's (the CLI's, --identity) whole signed
//                                              StoreReq in hex, sent on as it is (§3.2.1)
//     get RESOURCE KIND SLOT | stat RESOURCE KIND SLOT | find RESOURCE KIND
//
// RESOURCE is 32 hex digits, KIND a decimal Kind-ID, SLOT "-" (single value; in get/stat:
// everything), "i:N" (array index) or "k:HEX" (dictionary key), VALUE hex or "-" for a
// nonexistent value (§7.4.1.3 removal), LIFETIME seconds.
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
            try node.records.backend.sync()
        } catch {
            log(.error, "record store sync: \(error.description)")
        }
    }

    func answerStorage(_ request: ControlServer.Request, now: NodeTime) {
        let started: (RequestHandle, [NodeAction])
        switch StorageControl.parse(request.words, kinds: node.configuration.kinds) {
        case .failure(let problem):
            control.answer(request.connection, status: 2, lines: [problem.text], loop: loop)
            return
        case .success(let parsed):
            let kind = parsed.kind?.id ?? KindId(0)
            switch parsed.operation {
            case .put(let value, let lifetime):
                started = node.store(resource: parsed.resource, kind: kind, values: [value], lifetimeSeconds: lifetime, now: now)
            case .relay(let bytes):
                started = node.relay(bytes, now: now)
            case .get(let specifier):
                started = node.fetch(resource: parsed.resource, specifiers: [specifier], now: now)
            case .stat(let specifier):
                started = node.stat(resource: parsed.resource, specifiers: [specifier], now: now)
            case .find:
                started = node.find(resource: parsed.resource, kinds: [kind], now: now)
            }
        }
        let what = request.words.first == "relay" ? "store" : request.words.prefix(3).joined(separator: " ")
        pendingRequests[started.0] = PendingRequest(connection: request.connection, what: what)
        perform(started.1)
    }

    /// What the user reads of a finished storage request.
    static func storageLines(_ result: RequestResult) -> [String] {
        switch result {
        case .stored(let responder, let answer):
            var lines = ["stored at \(responder.hex)"]
            for response in answer.kindResponses {
                lines.append("kind \(response.kind.rawValue): generation \(response.generationCounter), replicas: "
                    + (response.replicas.isEmpty ? "none" : response.replicas.map { $0.hex }.joined(separator: " ")))
            }
            return lines
        case .fetched(let responder, let answer, let dropped, let asked):
            var lines = ["answered by \(responder.hex)" + (asked > 1 ? " (asked \(asked) peers)" : "")
                + (dropped > 0 ? "; \(dropped) value(s) failed verification and were dropped" : "")]
            for response in answer.kindResponses {
                let values = (response.values.values ?? []).filter { $0.value.dataValue.exists }
                lines.append("kind \(response.kind.rawValue): generation \(response.generation), \(values.count) value(s)")
                for value in values { lines.append("  " + describe(value, kind: response.kind)) }
            }
            return lines
        case .statted(let responder, let answer):
            var lines = ["answered by \(responder.hex)"]
            for response in answer.kindResponses {
                lines.append("kind \(response.kind.rawValue): generation \(response.generation)")
                for value in response.values.values ?? [] where value.metadata.metaData.exists {
                    lines.append("  \(slot(value.metadata)): \(value.metadata.metaData.valueLength) bytes, stored \(value.storageTime) ms, lifetime \(value.lifetime) s")
                }
            }
            return lines
        case .found(let responder, let answer):
            return ["answered by \(responder.hex)"] + answer.results.map { "kind \($0.kind.rawValue): closest \(Hex.encode($0.closest.bytes))" }
        default:
            return []
        }
    }

    static func describe(_ value: StoredData, kind: KindId) -> String {
        let data = value.value.dataValue.value
        let printable = !data.isEmpty && data.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        var text = printable ? String(decoding: data, as: UTF8.self) : "0x" + Hex.encode(data)
        if kind == .certificateByNode || kind == .certificateByUser, let certificate = try? Certificate(der: data) {
            // §8: a certificate, named by what it certifies; its SHA-256 as `openssl x509 -fingerprint -sha256` prints it.
            text = "certificate of " + (certificate.rfc822Names + certificate.uniformResourceIdentifiers).joined(separator: " ")
                + ", valid until \(certificate.notAfter.description), SHA-256 " + CommandSupport.fingerprint(data)
        }
        let place: String
        switch value.value {
        case .single: place = "value"
        case .array(let entry): place = "[\(entry.index)]"
        case .dictionary(let entry): place = "key " + keyText(entry.key)
        }
        return place + ": " + text + "  (lifetime \(value.lifetime) s)"
    }

    static func slot(_ metadata: MetaDataValue) -> String {
        switch metadata {
        case .single: return "value"
        case .array(let index, _): return "[\(index)]"
        case .dictionary(let key, _): return "key " + keyText(key)
        }
    }

    static func keyText(_ key: [UInt8]) -> String {
        let printable = !key.isEmpty && key.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        return printable ? String(decoding: key, as: UTF8.self) : "0x" + Hex.encode(key)
    }

    /// What an RFC 6940 error code (§6.3.3.1, §7.4) means for a storage request.
    static func meaning(_ code: ErrorCode) -> String {
        switch code {
        case .forbidden: return " (the signer may not write this value: access control, §7.3, or a bad signature)"
        case .notFound: return " (the peer reached neither is responsible for nor replicates this Resource-ID)"
        case .dataTooLarge: return " (value over the kind's max-size, more than max-count values, or a quota is full)"
        case .dataTooOld: return " (a value with this or a later storage_time is stored already: replay refused)"
        case .unknownKind: return " (this overlay's configuration does not define the kind)"
        case .generationCounterTooLow: return " (the generation counter does not match the stored one)"
        case .responseTooLarge: return " (more values than one answer carries: ask for fewer)"
        case .requestTimeout: return " (the storing peer failed to commit; try again)"
        default: return ""
        }
    }
}
