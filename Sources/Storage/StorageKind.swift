import Config
import Reload

/// One kind this peer stores (§7.4.5): its Kind-ID, data model, access control policy and the
/// limits of §13.5.2 (max-count values per Resource-ID, max-size bytes per value).
public struct StorageKind: Equatable, Sendable {
    public var id: KindId
    public var model: DataModel
    public var policy: AccessPolicy
    public var maxCount: Int
    public var maxSize: Int

    public init(id: KindId, model: DataModel, policy: AccessPolicy, maxCount: Int, maxSize: Int) {
        precondition(maxCount >= 1 && maxCount <= StorageLimits.maximumValuesPerResource)
        precondition(maxSize >= 0 && maxSize <= StorageLimits.maximumValueBytes)
        if case .userNodeMatch = policy { precondition(model == .dictionary, "§7.3.3: USER-NODE-MATCH needs a dictionary") }
        if case .nodeMultiple(let maximum) = policy {
            precondition(maximum >= 1 && maximum <= StorageLimits.maximumNodeMultiple)
        }
        self.id = id
        self.model = model
        self.policy = policy
        self.maxCount = maxCount
        self.maxSize = maxSize
    }

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
