import Crypto
import Node
import Reload
import Wire

/// Identities for a simulated overlay: one root, and per node a key and a certificate with a
/// random Node-ID, as the enrollment server issues them (RFC 6940 §11.3). With `.real` crypto
/// each node has its own P-256 key and the nodes sign and verify real signatures; with
/// `.simulated` the certificates are still real X.509 issued by the root, but the keys are the
/// simulation's (SimulatedCrypto.swift).
public struct SimulatedPKI {
    public let overlay: String
    public let root: CertificateIssuer
    public let mode: SimulatedCryptoMode
    let random: RandomGenerator
    let notBefore: CertificateTime
    let notAfter: CertificateTime
    let register: SimulatedRegister
    let template: PrivateKey

    /// Certificates valid from a day before `now` to a year after it.
    public init(overlay: String, random: RandomGenerator, now: WallTime, mode: SimulatedCryptoMode = .real) throws(CryptoError) {
        self.overlay = overlay
        self.random = random
        self.mode = mode
        notBefore = now.adding(seconds: -86_400).civilTime
        notAfter = now.adding(seconds: 365 * 86_400).civilTime
        let key = try PrivateKey.generateP256(using: random)
        root = try CertificateIssuer.createRoot(
            key: key, commonName: "simulated root", serial: CertificateIssuer.randomSerial(using: random),
            notBefore: notBefore, notAfter: notAfter, using: random)
        template = try PrivateKey.generateP256(using: random)
        register = try SimulatedRegister(template: template)
    }

    /// A new node identity with `nodeId` (random when nil).
    public func makeIdentity(user: String, nodeId: [UInt8]? = nil) throws(CryptoError) -> NodeIdentity {
        let id: [UInt8]
        if let nodeId { id = nodeId } else { id = try random.bytes(16) }
        let serial = try CertificateIssuer.randomSerial(using: random)
        switch mode {
        case .real:
            let key = try PrivateKey.generateP256(using: random)
            let der = try root.issueNodeCertificate(
                publicKey: key.publicKey(), nodeIds: [id], userName: user, overlay: overlay,
                serial: serial, notBefore: notBefore, notAfter: notAfter, using: random)
            return NodeIdentity(nodeId: NodeId(bytes: id)!, certificateChain: [der], privateKey: key, userName: user)
        case .simulated:
            let der = try root.issueNodeCertificate(
                publicKey: template.publicKey(), nodeIds: [id], userName: user, overlay: overlay,
                serial: serial, notBefore: notBefore, notAfter: notAfter, using: random)
            let secret = try random.bytes(16)
            register.secrets[SHA256.hash(der)] = secret
            let key = try SimulatedPrivateKey(secret: secret, register: register)
            return NodeIdentity(nodeId: NodeId(bytes: id)!, certificateChain: [der], privateKey: key, userName: user)
        }
    }

    /// The crypto operations of this PKI's simulated keys and verifiers (zero with `.real`).
    public var simulatedOperations: CryptoOperations { register.operations }

    public func makeVerifier() throws(CryptoError) -> IdentityVerifier {
        switch mode {
        case .real:
            return try IdentityVerifier(overlayName: overlay, nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
        case .simulated:
            return try SimulatedVerifier(register: register, overlay: overlay, root: root.certificate)
        }
    }

    /// A CRL of the root revoking `serials` (RFC 5280 §5.1), numbered `number`, issued at `now`.
    public func revocationList(revoking serials: [[UInt8]], number: UInt64, now: WallTime) throws(CryptoError) -> RevocationList {
        let date = now.civilTime
        let der = try RevocationList.create(
            issuer: root, revoked: serials.map { RevokedCertificate(serialNumber: $0, revocationDate: date) }, number: number,
            thisUpdate: date, nextUpdate: now.adding(seconds: 86_400).civilTime, using: random)
        return try RevocationList(der: der)
    }
}
