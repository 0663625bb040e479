import Config
import Reload
import Storage

// The overlay configuration's kind-blocks (RFC 6940 §11.1) as the kinds a peer stores (§7.4.5).
// It lives here because Enrollment knows both sides: Config's KindDefinition (the CA writes
// the required kinds) and Storage's kinds (what a peer can enforce); Storage does not read
// configurations and Config does not know storage.
extension StorageKinds {
    /// The built-in kinds with the configuration's kinds added (a configured kind replaces a
    /// built-in one of the same id). Definitions we cannot enforce are skipped and returned.
    public static func configured(_ definitions: [KindDefinition]) -> (kinds: StorageKinds, skipped: [KindDefinition]) {
        var table = StorageKinds.builtin
        var skipped: [KindDefinition] = []
        for definition in definitions {
            guard let kind = StorageKind(definition: definition), table.add(kind) else {
                skipped.append(definition)
                continue
            }
        }
        return (table, skipped)
    }
}

extension StorageKind {
    /// A configuration's kind (§11.1 kind-block); nil for what we cannot enforce: an unknown
    /// kind name, another data model or policy, limits out of our bounds, USER-NODE-MATCH on a
    /// non-dictionary, NODE-MULTIPLE without a usable max-node-multiple. Such kinds stay
    /// unknown, and stores of them get Error_Unknown_Kind.
    public init?(definition: KindDefinition) {
        guard let id = StorageKind.kindId(definition.identifier), let model = StorageKind.model(definition.dataModel) else {
            return nil
        }
        let policy: AccessPolicy
        switch definition.accessControl {
        case .userMatch: policy = .userMatch
        case .nodeMatch: policy = .nodeMatch
        case .userNodeMatch:
            guard model == .dictionary else { return nil }
            policy = .userNodeMatch
        case .nodeMultiple:
            guard let maximum = definition.maxNodeMultiple, maximum >= 1, maximum <= StorageLimits.maximumNodeMultiple else {
                return nil
            }
            policy = .nodeMultiple(maximum: maximum)
        case .other:
            return nil
        }
        guard definition.maxCount >= 1, definition.maxCount <= StorageLimits.maximumValuesPerResource,
            definition.maxSize >= 0, definition.maxSize <= StorageLimits.maximumValueBytes
        else { return nil }
        self.init(id: id, model: model, policy: policy, maxCount: definition.maxCount, maxSize: definition.maxSize)
    }

    static func kindId(_ identifier: KindDefinition.Identifier) -> KindId? {
        switch identifier {
        case .id(let raw): return KindId(raw)
        case .name(let name):
            for known in [KindId.sipRegistration, .turnService, .certificateByNode, .accessControlList, .certificateByUser, .redir]
            where known.name == name {
                return known
            }
            return nil
        }
    }

    static func model(_ model: KindDefinition.DataModel) -> DataModel? {
        switch model {
        case .single: return .singleValue
        case .array: return .array
        case .dictionary: return .dictionary
        case .other: return nil
        }
    }
}
