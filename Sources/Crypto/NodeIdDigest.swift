/// The digest of RFC 6940 §11.1 `self-signed-permitted digest="..."`: how a self-signed
/// certificate's Node-IDs derive from its key (§11.3.1; both MUST be supported).
public enum NodeIdDigest: Equatable, Sendable {
    case sha1
    case sha256

    func hash(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha1: return SHA1.hash(data)
        case .sha256: return SHA256.hash(data)
        }
    }

    var length: Int {
        switch self {
        case .sha1: return SHA1.digestLength
        case .sha256: return SHA256.digestLength
        }
    }
}
