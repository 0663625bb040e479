import Config
import Crypto

/// The bridge from an overlay configuration (RFC 6940 §11.1) to the identity check of every
/// link and signature: root-certs become the trust anchors, node-id-length the Node-ID size,
/// self-signed-permitted (with its digest and our proof-of-work extension) the self-signed
/// policy, bad-node the refused Node-IDs. The enrollment client uses it to check what it was
/// given (§11.3: "The client MUST check that the returned certificate chains back to one of
/// the certificates received in the root-cert list"); peers use it for their links.
public enum OverlayTrust {
    public static func verifier(for configuration: OverlayConfiguration) throws(EnrollmentError) -> IdentityVerifier {
        var roots: [Certificate] = []
        for (index, der) in configuration.rootCertificates.enumerated() {
            do throws(CryptoError) {
                roots.append(try Certificate(der: der))
            } catch {
                throw .invalidArgument("root-cert \(index + 1) is not an X.509 certificate: \(error.description)")
            }
        }
        var policy: SelfSignedPolicy? = nil
        if let permission = configuration.selfSignedPermitted, permission.permitted {
            guard (0...CryptoLimits.maximumWorkBits).contains(configuration.selfSignedWorkBits) else {
                throw .invalidArgument("self-signed-work-bits \(configuration.selfSignedWorkBits)")
            }
            guard (1...CryptoLimits.maximumNodeIdsPerCertificate).contains(configuration.selfSignedNodeIds) else {
                throw .invalidArgument("self-signed-node-ids \(configuration.selfSignedNodeIds)")
            }
            let digest: NodeIdDigest
            switch permission.digest {
            case "sha1": digest = .sha1
            case "sha256": digest = .sha256
            default: throw .invalidArgument("self-signed digest \(permission.digest) is not supported (sha1, sha256)")
            }
            policy = SelfSignedPolicy(
                digest: digest, workBits: configuration.selfSignedWorkBits, maximumNodeIds: configuration.selfSignedNodeIds)
        }
        do throws(CryptoError) {
            let verifier = try IdentityVerifier(
                overlayName: configuration.instanceName, nodeIdLength: configuration.nodeIdLength, roots: roots,
                selfSigned: policy)
            verifier.setBadNodes(configuration.badNodes)
            return verifier
        } catch {
            throw .invalidArgument("configuration cannot verify identities: \(error.description)")
        }
    }
}
