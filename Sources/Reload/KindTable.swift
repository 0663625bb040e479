/// The data model of every kind this node knows (§7.2, §7.4.5): the IANA kinds plus the
/// kinds of the configuration's kind-blocks (§11.1). Bounded by `ReloadLimits.knownKinds`;
/// a kind that is not here is "unknown" (§7.4.1.1: Error_Unknown_Kind).
public struct KindTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var kind: KindId
        public var model: DataModel
    }

    public private(set) var entries: [Entry]

    public init() {
        entries = []
    }

    /// SIP-REGISTRATION (RFC 7904 §7), TURN-SERVICE (§9), CERTIFICATE_BY_NODE and
    /// CERTIFICATE_BY_USER (§8), ACCESS-CONTROL-LIST (RFC 8076 §9.2), REDIR (RFC 7374 §10.3).
    public static let iana: KindTable = {
        var table = KindTable()
        _ = table.add(.sipRegistration, .dictionary)
        _ = table.add(.turnService, .singleValue)
        _ = table.add(.certificateByNode, .array)
        _ = table.add(.accessControlList, .array)
        _ = table.add(.certificateByUser, .array)
        _ = table.add(.redir, .dictionary)
        return table
    }()

    public func dataModel(of kind: KindId) -> DataModel? {
        for entry in entries where entry.kind == kind {
            return entry.model
        }
        return nil
    }

    /// Adds or replaces a kind; false when the table is full.
    public mutating func add(_ kind: KindId, _ model: DataModel) -> Bool {
        for index in entries.indices where entries[index].kind == kind {
            entries[index].model = model
            return true
        }
        if entries.count >= ReloadLimits.knownKinds { return false }
        entries.append(Entry(kind: kind, model: model))
        return true
    }
}
