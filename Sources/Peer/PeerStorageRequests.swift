import Crypto
import Node
import Reload
import Storage
import Wire

// The storage requests of the control interface (RFC 6940 §7): the words the CLI sends
// (StorageControl parses them), and what the user reads of their results. The CLI
// (StorageCommand) resolves names to numbers and hashes; the requests are words:
//
//     put RESOURCE KIND SLOT VALUE LIFETIME   the peer signs the value with its own key
//     relay MESSAGE                           a client's (the CLI's, --identity) whole signed
//                                              StoreReq in hex, sent on as it is (§3.2.1)
//     get RESOURCE KIND SLOT | stat RESOURCE KIND SLOT | find RESOURCE KIND
//
// RESOURCE is 32 hex digits, KIND a decimal Kind-ID, SLOT "-" (single value; in get/stat:
// everything), "i:N" (array index) or "k:HEX" (dictionary key), VALUE hex or "-" for a
// nonexistent value (§7.4.1.3 removal), LIFETIME seconds.
public enum PeerStorageRequests {
    /// RESOURCE is 32 hex digits (a Resource-ID), or a name whose Resource-ID is the first 16
    /// bytes of its SHA-1, the overlay's hash (RFC 6940 §11.1 hash algorithm, §10.2).
    public static func resourceId(_ text: String) -> ResourceId {
        if text.utf8.count == 2 * NodeConfiguration.nodeIdLength, let bytes = Hex.decode(text), let id = ResourceId(bytes: bytes) {
            return id
        }
        return ResourceId(bytes: SHA1.hash(Array(text.utf8)).prefix(NodeConfiguration.nodeIdLength))!
    }

    /// What the user reads of a finished storage request.
    public static func lines(_ result: RequestResult) -> [String] {
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
                + ", valid until \(certificate.notAfter.description), SHA-256 " + CertificateFingerprint.sha256(data)
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
    public static func meaning(_ code: ErrorCode) -> String {
        switch code {
        case .forbidden: return " (the signer may not write this value: access control, §7.3, or a bad signature)"
        case .notFound: return " (the peer reached neither is responsible for nor replicates this Resource-ID)"
        case .dataTooLarge: return " (value over the kind's max-size, more than max-count values, or a quota is full)"
        case .dataTooOld: return " (a value with this or a later storage_time is stored already, or storage_time + lifetime is past: replay refused)"
        case .unknownKind: return " (this overlay's configuration does not define the kind)"
        case .generationCounterTooLow: return " (the generation counter does not match the stored one)"
        case .responseTooLarge: return " (more values than one answer carries: ask for fewer)"
        case .requestTimeout: return " (the storing peer failed to commit, is overloaded or the request was over its budget; try again later)"
        default: return ""
        }
    }
}
