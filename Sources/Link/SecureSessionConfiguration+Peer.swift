import Crypto
import Reload
import Wire

extension SecureSessionConfiguration {
    /// A peer's DTLS client and server configurations for its own certificate (the first of
    /// `identity`'s chain) and key, with trust deferred to the owner: the link authenticator
    /// checks the other end's chain and the Node-ID the link was opened for (RFC 6940
    /// §6.5.1.11), not mbedTLS. Overlay links and application connections both use it.
    public static func peerPair(
        certificateDER: [UInt8], privateKey: PrivateKey, random: RandomGenerator,
        datagramMTU: UInt16 = LinkLimits.defaultDatagramMTU, keyLog: Bool
    ) throws(LinkError) -> (client: SecureSessionConfiguration, server: SecureSessionConfiguration) {
        let certificate: Certificate
        do throws(CryptoError) {
            certificate = try Certificate(der: certificateDER)
        } catch {
            throw .invalidConfiguration("own certificate: \(error.description)")
        }
        let client = try SecureSessionConfiguration(
            role: .client, transport: .datagram, certificateChain: [certificate], privateKey: privateKey,
            trust: .deferredToOwner, random: random, datagramMTU: datagramMTU, keyLog: keyLog)
        let server = try SecureSessionConfiguration(
            role: .server, transport: .datagram, certificateChain: [certificate], privateKey: privateKey,
            trust: .deferredToOwner, random: random, datagramMTU: datagramMTU, keyLog: keyLog)
        return (client, server)
    }
}
