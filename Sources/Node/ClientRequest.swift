import Crypto
import Reload
import Signing
import Wire

/// The messages a client of a peer signs itself (RFC 6940 §3.2.1) and hands to the peer to
/// send on (`OverlayNode.relay`): a StoreReq whose via list holds the client's Node-ID, so that
/// the storing peer sees the client as its originator and signer (§6.3.4, §7.3).
public enum ClientRequest {
    /// A whole signed StoreReq to `resource`: header for `configuration`'s overlay with
    /// `transactionId` (random, §6.3.2: it names the transaction end to end), via list
    /// [client], the client's certificate in the security block.
    public static func store(
        resource: ResourceId, kindData: [StoreKindData], identity: NodeIdentity, configuration: NodeConfiguration,
        transactionId: UInt64, random: RandomGenerator
    ) throws(ReloadError) -> [UInt8] {
        let header = ForwardingHeader(
            overlay: configuration.overlayHash, configurationSequence: configuration.configurationSequence,
            ttl: configuration.initialTTL, transactionId: transactionId, viaList: [.node(identity.nodeId)],
            destinationList: [.resource(resource)])
        var message = Message(
            header: header, contents: MessageContents(body: .storeRequest(StoreReq(resource: resource, replicaNumber: 0, kindData: kindData))),
            securityBlock: SecurityBlock(certificates: [], signature: .synthesized))
        try message.sign(
            key: identity.privateKey, identity: .certHash(certificateDER: identity.certificateChain[0]),
            certificates: identity.certificateChain.map { GenericCertificate(certificate: $0) }, random: random)
        let bytes = try message.encode()
        if bytes.count > configuration.maxMessageSize {
            throw .messageTooLarge(length: bytes.count, limit: configuration.maxMessageSize)
        }
        return bytes
    }
}
