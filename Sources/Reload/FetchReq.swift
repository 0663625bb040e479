import Wire

/// §7.4.2.1 FetchReq: resource ResourceId ‖ StoredDataSpecifier specifiers<0..2^16-1>.
public struct FetchReq: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FetchReq"
    public var resource: ResourceId
    public var specifiers: [StoredDataSpecifier]

    public init(resource: ResourceId, specifiers: [StoredDataSpecifier]) {
        self.resource = resource
        self.specifiers = specifiers
    }

    /// §7.4.1.2: requested kinds whose data model this node does not know.
    public var unknownKinds: [KindId] {
        return specifiers.compactMap { specifier in
            if case .unknown = specifier.modelSpecifier { return specifier.kind }
            return nil
        }
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FetchReq {
        let resource = try ResourceId.decode(from: &reader, configuration)
        let specifiers: [StoredDataSpecifier] = try reader.readList(
            2, countLimit: ReloadLimits.kindsPerMessage, "FetchReq.specifiers", configuration)
        return FetchReq(resource: resource, specifiers: specifiers)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try resource.encode(to: &writer)
        try writer.writeList(specifiers, 2, countLimit: ReloadLimits.kindsPerMessage, "FetchReq.specifiers")
    }
}

/// §7.4.3.1: "The Stat request is identical to the Fetch request."
public typealias StatReq = FetchReq
