import Config
import Crypto
import Wire

extension ConfigurationSignature {
    /// A whole overlay configuration document (RFC 6940 §11.1) for `configuration`: each kind
    /// element signed, then the configuration element (which embeds the signed kind elements
    /// byte for byte) signed, both by the holder of `key` and `certificate`, whose Node-ID the
    /// configuration must list as configuration-signer and, when it has kinds, kind-signer.
    public static func signedDocument(
        _ configuration: OverlayConfiguration, key: PrivateKey, certificate: Certificate, using random: RandomGenerator
    ) throws(EnrollmentError) -> [UInt8] {
        var kindSignatures: [DetachedSignature?] = []
        for kind in configuration.requiredKinds {
            kindSignatures.append(try sign(OverlayConfigurationWriter.kindElement(kind), key: key, certificate: certificate, using: random))
        }
        let element = OverlayConfigurationWriter.configurationElement(configuration, kindSignatures: kindSignatures)
        let signature = try sign(element, key: key, certificate: certificate, using: random)
        return OverlayConfigurationWriter.document([(configurationElement: element, signature: signature)])
    }

    /// What a node checks before it accepts a configuration (§11.1): one of the signatures
    /// after the configuration element verifies and comes from a configuration-signer; every
    /// kind-block carries a kind-signature from a kind-signer ("Receivers MUST verify the
    /// signature prior to accepting a kind-block"); and the configuration has not expired.
    /// `verifier` holds the roots the node trusts out of band.
    public static func verify(
        _ signed: SignedConfiguration, verifier: IdentityVerifier, now: CertificateTime
    ) throws(EnrollmentError) {
        let configuration = signed.configuration
        if let expiresAtSeconds = configuration.expiresAtSeconds, expiresAtSeconds <= now.unixSeconds {
            throw .signature("configuration expired at \(CertificateTime(unixSeconds: expiresAtSeconds).description)")
        }
        guard !signed.signatures.isEmpty else { throw .signature("configuration \(configuration.instanceName) is not signed") }
        var firstFailure: EnrollmentError? = nil
        var verified = false
        for signature in signed.signatures where !verified {
            do throws(EnrollmentError) {
                _ = try verify(
                    signed.signedBytes, signature: signature, signers: configuration.configurationSigners, verifier: verifier,
                    now: now)
                verified = true
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if !verified, let firstFailure { throw firstFailure }
        for (index, kind) in signed.kindSignatures.enumerated() {
            guard let signature = kind.signature else { throw .signature("kind-block \(index + 1) has no kind-signature") }
            do throws(EnrollmentError) {
                _ = try verify(kind.signedBytes, signature: signature, signers: configuration.kindSigners, verifier: verifier, now: now)
            } catch {
                throw .signature("kind-block \(index + 1): \(error.description)")
            }
        }
    }
}
