/// The content of a `<signature>` or `<kind-signature>`: its optional algorithm attribute and
/// the base64-decoded bytes (a RELOAD SecurityBlock, §6.3.4).
public struct DetachedSignature: Equatable {
    public let algorithm: String?
    public let value: [UInt8]

    public init(algorithm: String?, value: [UInt8]) {
        self.algorithm = algorithm
        self.value = value
    }
}
