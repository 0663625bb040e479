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
}
