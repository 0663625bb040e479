/// What an overlay that permits self-signed identities (§11.3.1) asks of them: the Node-ID
/// digest, the proof-of-work difficulty in leading zero bits (see ProofOfWork), and how many
/// Node-IDs one certificate may hold.
///
/// The defaults are the safe ones (§13.3: without an enrollment server every identity is
/// free, so the Sybil defences are the cost of each and the Node-IDs each buys): a 20-bit
/// proof of work (about 2^20 SHA-256 hashes per key) and one Node-ID per certificate. An
/// overlay configuration that wants less work or more Node-IDs says so explicitly.
public struct SelfSignedPolicy: Equatable, Sendable {
    /// Leading zero bits a self-signed identity's proof of work has when nothing says otherwise.
    public static let defaultWorkBits = 20
    /// Node-IDs one self-signed certificate may hold when nothing says otherwise.
    public static let defaultMaximumNodeIds = 1

    public var digest: NodeIdDigest
    public var workBits: Int
    /// A self-signed certificate with more Node-IDs than this is refused (§11.3.1 allows
    /// several; each is one more place on the ring for the same key).
    public var maximumNodeIds: Int

    public init(digest: NodeIdDigest, workBits: Int = defaultWorkBits, maximumNodeIds: Int = defaultMaximumNodeIds) {
        precondition(workBits >= 0 && workBits <= CryptoLimits.maximumWorkBits)
        precondition(maximumNodeIds >= 1 && maximumNodeIds <= CryptoLimits.maximumNodeIdsPerCertificate)
        self.digest = digest
        self.workBits = workBits
        self.maximumNodeIds = maximumNodeIds
    }
}
