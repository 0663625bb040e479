/// `<self-signed-permitted digest="...">` (§11.1): whether self-signed certificates are
/// allowed, and the digest that derives their Node-IDs ("sha1" or "sha256", or an extension).
public struct SelfSignedPermission: Equatable {
    public var permitted: Bool
    public var digest: String

    public init(permitted: Bool, digest: String) {
        self.permitted = permitted
        self.digest = digest
    }
}
