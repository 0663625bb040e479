import Reload

/// The kinds this peer stores, bounded by `StorageLimits.kinds`: the built-in ones (§8 and
/// RFC 7904), replaced or joined by the configuration's kind-blocks (§11.1; Enrollment turns
/// Config's definitions into StorageKind values, Storage does not read configurations). A kind not here
/// is unknown (§7.4.1.1: Error_Unknown_Kind).
public struct StorageKinds: Equatable, Sendable {
    public private(set) var kinds: [StorageKind]

    /// Built-in limits, used until the configuration says otherwise.
    public static let builtinMaxCount = 16
    public static let builtinCertificateMaxSize = 4096
    public static let builtinRegistrationMaxSize = 2048

    public init() {
        kinds = []
    }

    /// CERTIFICATE_BY_NODE (0x3, array, NODE-MATCH) and CERTIFICATE_BY_USER (0x10, array,
    /// USER-MATCH) of §8 (IANA registry, §14.6), SIP-REGISTRATION (0x1, dictionary,
    /// USER-NODE-MATCH) of RFC 7904 §7.
    public static let builtin: StorageKinds = {
        var table = StorageKinds()
        _ = table.add(StorageKind(
            id: .sipRegistration, model: .dictionary, policy: .userNodeMatch, maxCount: builtinMaxCount,
            maxSize: builtinRegistrationMaxSize))
        _ = table.add(StorageKind(
            id: .certificateByNode, model: .array, policy: .nodeMatch, maxCount: builtinMaxCount,
            maxSize: builtinCertificateMaxSize))
        _ = table.add(StorageKind(
            id: .certificateByUser, model: .array, policy: .userMatch, maxCount: builtinMaxCount,
            maxSize: builtinCertificateMaxSize))
        return table
    }()

    public func kind(_ id: KindId) -> StorageKind? {
        for kind in kinds where kind.id == id { return kind }
        return nil
    }

    /// Adds or replaces a kind; false when the table is full.
    public mutating func add(_ kind: StorageKind) -> Bool {
        for index in kinds.indices where kinds[index].id == kind.id {
            kinds[index] = kind
            return true
        }
        if kinds.count >= StorageLimits.kinds { return false }
        kinds.append(kind)
        return true
    }

    /// The codec's view of these kinds (the data models the decoder needs, §7.2).
    public var codecKinds: KindTable {
        var table = KindTable()
        for kind in kinds { _ = table.add(kind.id, kind.model) }
        return table
    }
}
