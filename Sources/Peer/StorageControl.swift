import Reload
import Storage
import Wire

/// The storage requests of the control interface (PeerStorageRequests describes the words), parsed
/// fully before anything is sent: a bad word is answered with what is wrong.
public enum StorageControl {
    public struct Problem: Error {
        public let text: String
    }

    public enum Operation {
        case put(StoredDataValue, lifetime: UInt32)
        /// A client's whole signed StoreReq (§3.2.1), sent on unchanged.
        case relay([UInt8])
        case get(StoredDataSpecifier)
        case stat(StoredDataSpecifier)
        case find
    }

    public struct Parsed {
        public let resource: ResourceId
        public let kind: StorageKind?
        public let operation: Operation
    }

    public enum Slot: Equatable {
        case all
        case index(UInt32)
        case key([UInt8])
    }

    /// Longest value a put carries (the overlay's max-size decides what is stored).
    public static let maximumValueBytes = 4096

    /// Longest signed request `relay` carries (a message of at most ReloadLimits' ceiling is
    /// refused by the Node against max-message-size).
    public static let maximumRelayedBytes = (ControlLimits.maximumRequestBytes - 8) / 2

    public static func parse(_ words: [String], kinds: StorageKinds) -> Result<Parsed, Problem> {
        let counts = ["put": 6, "relay": 2, "get": 4, "stat": 4, "find": 3]
        guard let verb = words.first, let count = counts[verb], words.count == count else {
            return .failure(Problem(text: "storage request: wrong number of words"))
        }
        if verb == "relay" {
            guard let bytes = Hex.decode(words[1]), !bytes.isEmpty, bytes.count <= maximumRelayedBytes else {
                return .failure(Problem(text: "relay: the signed request must be hex, at most \(maximumRelayedBytes) bytes"))
            }
            return .success(Parsed(resource: ResourceId(bytes: [UInt8](repeating: 0, count: 16))!, kind: nil, operation: .relay(bytes)))
        }
        guard let resourceBytes = Hex.decode(words[1]), resourceBytes.count == 16, let resource = ResourceId(bytes: resourceBytes) else {
            return .failure(Problem(text: "RESOURCE '\(words[1])' is not 32 hex digits"))
        }
        guard let raw = UInt32(words[2]), let kind = kinds.kind(KindId(raw)) else {
            return .failure(Problem(text: "kind \(words[2]) is not defined in this overlay: Error_Unknown_Kind"))
        }
        switch verb {
        case "find":
            return .success(Parsed(resource: resource, kind: kind, operation: .find))
        default:
            break
        }
        guard let slot = parseSlot(words[3]) else { return .failure(Problem(text: "SLOT '\(words[3])' is not -, i:N or k:HEX")) }
        if verb == "put" {
            let exists = words[4] != "-"
            guard let bytes = exists ? Hex.decode(words[4]) : [], bytes.count <= maximumValueBytes, let lifetime = UInt32(words[5]) else {
                return .failure(Problem(text: "put: VALUE must be hex (at most \(maximumValueBytes) bytes) and LIFETIME seconds"))
            }
            guard let value = storedValue(model: kind.model, slot: slot, DataValue(exists: exists, value: bytes)) else {
                return .failure(Problem(text: "kind \(raw) is \(modelName(kind.model)): " + slotAdvice(kind.model)))
            }
            return .success(Parsed(resource: resource, kind: kind, operation: .put(value, lifetime: lifetime)))
        }
        guard let specifier = specifier(kind: kind, slot: slot) else {
            return .failure(Problem(text: "kind \(raw) is \(modelName(kind.model)): " + slotAdvice(kind.model)))
        }
        return .success(Parsed(resource: resource, kind: kind, operation: verb == "get" ? .get(specifier) : .stat(specifier)))
    }

    public static func parseSlot(_ word: String) -> Slot? {
        if word == "-" { return .all }
        let bytes = Array(word.utf8)
        guard bytes.count > 2, bytes[1] == UInt8(ascii: ":") else { return nil }
        let rest = String(decoding: bytes[2...], as: UTF8.self)
        switch bytes[0] {
        case UInt8(ascii: "i"): return UInt32(rest).map { .index($0) }
        case UInt8(ascii: "k"):
            guard let key = Hex.decode(rest), !key.isEmpty, key.count <= StorageLimits.maximumDictionaryKeyBytes else { return nil }
            return .key(key)
        default: return nil
        }
    }

    /// The StoredDataValue of the kind's data model (§7.2) at `slot`.
    public static func storedValue(model: DataModel, slot: Slot, _ value: DataValue) -> StoredDataValue? {
        switch (model, slot) {
        case (.singleValue, .all): return .single(value)
        case (.array, .index(let index)): return .array(ArrayEntry(index: index, value: value))
        case (.dictionary, .key(let key)): return .dictionary(DictionaryEntry(key: key, value: value))
        default: return nil
        }
    }

    /// §7.4.2.1: everything ("-": the whole array, all dictionary keys) or one place.
    public static func specifier(kind: StorageKind, slot: Slot) -> StoredDataSpecifier? {
        let model: StoredDataSpecifier.ModelSpecifier
        switch (kind.model, slot) {
        case (.singleValue, .all): model = .singleValue
        case (.array, .all): model = .array(indices: [ArrayRange(first: 0, last: StorageLimits.lastArrayIndex)])
        case (.array, .index(let index)): model = .array(indices: [ArrayRange(first: index, last: index)])
        case (.dictionary, .all): model = .dictionary(keys: [])
        case (.dictionary, .key(let key)): model = .dictionary(keys: [key])
        default: return nil
        }
        return StoredDataSpecifier(kind: kind.id, generation: 0, modelSpecifier: model)
    }

    public static func modelName(_ model: DataModel) -> String {
        switch model {
        case .singleValue: return "a single value"
        case .array: return "an array"
        case .dictionary: return "a dictionary"
        }
    }

    public static func slotAdvice(_ model: DataModel) -> String {
        switch model {
        case .singleValue: return "give neither --key nor --index"
        case .array: return "give --index N"
        case .dictionary: return "give --key K"
        }
    }
}
