/// What a node certificate says about its holder (RFC 6940 §11.3): its Node-IDs and its user
/// name.
public struct ReloadIdentity: Equatable {
    public let nodeIds: [[UInt8]]
    public let userName: String
}
