/// What an overlay that permits self-signed identities (§11.3.1) asks of them: the Node-ID
/// digest, and the proof-of-work difficulty in leading zero bits (0: none; see ProofOfWork).
public struct SelfSignedPolicy: Equatable, Sendable {
    public var digest: NodeIdDigest
    public var workBits: Int

    public init(digest: NodeIdDigest, workBits: Int = 0) {
        precondition(workBits >= 0 && workBits <= CryptoLimits.maximumWorkBits)
        self.digest = digest
        self.workBits = workBits
    }
}
