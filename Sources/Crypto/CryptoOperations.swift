/// The public-key operations this process has performed: what `p2psip status` reports and
/// storage-bench multiplies by their measured unit cost to split CPU time into crypto and the
/// rest. Counted where mbedTLS is called; the process runs one thread (the event loop), so
/// the counts need no lock.
public struct CryptoOperations: Equatable, Sendable {
    /// Signatures made (ECDSA P-256 with SHA-256: messages, stored values, certificates).
    public var signatures: UInt64 = 0
    /// Signatures verified with a public key (messages, stored values, self-signed certificates).
    public var verifications: UInt64 = 0
    /// Certificate chains verified by mbedTLS (one verification per certificate below the
    /// root); the IdentityVerifier's cache hits are not counted.
    public var chainVerifications: UInt64 = 0

    public init() {}

    /// The counts of this process.
    nonisolated(unsafe) public static var counted = CryptoOperations()
}
