import Crypto
import Node
import Reload
import Wire

/// Identities for a simulated overlay: one root, and per node a P-256 key and a certificate
/// with a random Node-ID, as the enrollment server issues them (RFC 6940 §11.3). The nodes
/// sign and verify real signatures: the simulator runs the real Node code, crypto included.
public struct SimulatedPKI {
    public let overlay: String
    public let root: CertificateIssuer
    let random: RandomGenerator
    let notBefore: CertificateTime
    let notAfter: CertificateTime

    /// Certificates valid from a day before `now` to a year after it.
    public init(overlay: String, random: RandomGenerator, now: WallTime) throws(CryptoError) {
        self.overlay = overlay
        self.random = random
        notBefore = now.adding(seconds: -86_400).civilTime
        notAfter = now.adding(seconds: 365 * 86_400).civilTime
        let key = try PrivateKey.generateP256(using: random)
        root = try CertificateIssuer.createRoot(
            key: key, commonName: "simulated root", serial: CertificateIssuer.randomSerial(using: random),
            notBefore: notBefore, notAfter: notAfter, using: random)
    }

    /// A new node identity with `nodeId` (random when nil).
    public func makeIdentity(user: String, nodeId: [UInt8]? = nil) throws(CryptoError) -> NodeIdentity {
        let key = try PrivateKey.generateP256(using: random)
        let id: [UInt8]
        if let nodeId { id = nodeId } else { id = try random.bytes(16) }
        let der = try root.issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: [id], userName: user, overlay: overlay,
            serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
        return NodeIdentity(nodeId: NodeId(bytes: id)!, certificateChain: [der], privateKey: key, userName: user)
    }

    public func makeVerifier() throws(CryptoError) -> IdentityVerifier {
        return try IdentityVerifier(overlayName: overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
    }
}
