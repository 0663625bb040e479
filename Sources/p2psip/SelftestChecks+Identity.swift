import Crypto
import Platform
import Wire

/// The identity checks of `p2psip selftest`: what the enrollment server and every peer do
/// with certificates (RFC 6940 §11.3), run on the board itself.
extension SelftestChecks {
    /// A root signs a node certificate for a CSR's key with a random Node-ID; the verifier
    /// accepts it for that Node-ID only; after a CRL names its serial, it refuses it.
    static func identityIssueAndVerify(random: RandomGenerator) -> Outcome {
        let now = Clock.wallNow().civilTime
        let before = CertificateTime(unixSeconds: now.unixSeconds - 3600)
        let after = CertificateTime(unixSeconds: now.unixSeconds + 86_400)
        do throws(CryptoError) {
            let rootKey = try PrivateKey.generateP256(using: random)
            let root = try CertificateIssuer.createRoot(
                key: rootKey, commonName: "selftest root", serial: CertificateIssuer.randomSerial(using: random),
                notBefore: before, notAfter: after, using: random)
            let nodeKey = try PrivateKey.generateP256(using: random)
            let request = try CertificateSigningRequest.parse(
                CertificateSigningRequest.create(subject: "CN=alice", key: nodeKey, using: random))
            let nodeId = try random.bytes(16)
            let serial = try CertificateIssuer.randomSerial(using: random)
            let certificate = try Certificate(der: root.issueNodeCertificate(
                publicKey: request.publicKey(), nodeIds: [nodeId], userName: "alice@selftest.example",
                overlay: "selftest.example", serial: serial, notBefore: before, notAfter: after, using: random))
            let verifier = try IdentityVerifier(
                overlayName: "selftest.example", nodeIdLength: 16, roots: [root.certificate], selfSigned: nil)
            let identity = try verifier.verify(chain: [certificate], nodeId: nodeId, now: now)
            if identity.userName != "alice@selftest.example" { return .failed("user name \(identity.userName)") }
            var otherId = nodeId
            otherId[0] ^= 1
            if (try? verifier.verify(chain: [certificate], nodeId: otherId, now: now)) != nil {
                return .failed("a Node-ID not in the certificate was accepted")
            }
            let crl = try RevocationList(der: RevocationList.create(
                issuer: root, revoked: [RevokedCertificate(serialNumber: serial, revocationDate: now)], number: 1,
                thisUpdate: now, nextUpdate: after, using: random))
            try verifier.setRevocationList(crl)
            if (try? verifier.verify(chain: [certificate], nodeId: nodeId, now: now)) != nil {
                return .failed("a revoked certificate was accepted")
            }
            return .passed("root, CSR, node certificate, Node-ID binding, CRL revocation")
        } catch {
            return .failed(error.description)
        }
    }
}
