import Chord
import Crypto
import Reload
import Signing
import Wire

/// Who this node is: its Node-ID, its certificate (and any intermediates) and its private
/// key. Every message it originates is signed with the key (RFC 6940 §6.3.4) and carries the
/// certificate, so that the destination can verify it.
public struct NodeIdentity {
    public let nodeId: NodeId
    public let certificateChain: [[UInt8]]
    public let privateKey: PrivateKey
    public let userName: String
    /// §6.3.4 cert_hash: SHA-256 over the DER of our (single Node-ID) certificate, computed once
    /// (every message and value this node signs names it).
    let signerIdentity: SignerIdentity

    public init(nodeId: NodeId, certificateChain: [[UInt8]], privateKey: PrivateKey, userName: String) {
        precondition(!certificateChain.isEmpty)
        self.nodeId = nodeId
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.userName = userName
        signerIdentity = .certHash(certificateDER: certificateChain[0])
    }

    var genericCertificates: [GenericCertificate] {
        certificateChain.map { GenericCertificate(certificate: $0) }
    }
}
