import Wire

/// §10.8 ChordRouteQueryAns, the RouteQueryAns body of CHORD-RELOAD: next_peer NodeId.
public struct ChordRouteQueryAns: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ChordRouteQueryAns"
    public var nextPeer: NodeId

    public init(nextPeer: NodeId) {
        self.nextPeer = nextPeer
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ChordRouteQueryAns {
        return ChordRouteQueryAns(nextPeer: try NodeId.decode(from: &reader, configuration))
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        try nextPeer.encode(to: &writer)
    }
}
