import Reload

// §6.3.4: the SecurityBlock's certificates "SHOULD include every one needed to verify"; the
// signer's is the one its SignerIdentity hashes to.
extension SecurityBlock {
    /// The X.509 certificate `identity` names, if it is in this block (with `nodeId` for
    /// cert_hash_node_id identities).
    public func certificate(for identity: SignerIdentity, nodeId: NodeId? = nil) -> [UInt8]? {
        for certificate in certificates where certificate.type == GenericCertificate.x509 {
            if identity.matches(certificateDER: certificate.certificate, nodeId: nodeId) {
                return certificate.certificate
            }
        }
        return nil
    }
}
