import CMbedTLS

extension Certificate {
    /// The DER of the certificate's extensions (the SEQUENCE inside [3]); empty without any.
    var extensionsDER: [UInt8] { bytes(context.pointee.v3_ext) }

    /// True when this certificate's signature verifies with `issuer`'s public key (SHA-256,
    /// SHA-384 or SHA-512 only). Used for self-signed identities, where mbedTLS's chain
    /// verification would trust the certificate without checking its signature.
    public func isSigned(by issuer: Certificate) -> Bool {
        let certificate = context.pointee
        let digest = certificate.sig_md
        guard digest == MBEDTLS_MD_SHA256 || digest == MBEDTLS_MD_SHA384 || digest == MBEDTLS_MD_SHA512,
            let info = mbedtls_md_info_from_type(digest), let signedStart = certificate.tbs.p,
            let signature = certificate.sig.p
        else { return false }
        var hash = [UInt8](repeating: 0, count: Int(mbedtls_md_get_size(info)))
        let hashCode = hash.withUnsafeMutableBufferPointer {
            mbedtls_md(info, signedStart, certificate.tbs.len, $0.baseAddress)
        }
        guard hashCode == 0 else { return false }
        CryptoOperations.counted.verifications &+= 1
        let code = hash.withUnsafeBufferPointer {
            mbedtls_pk_verify_ext(
                certificate.sig_pk, certificate.sig_opts, &issuer.context.pointee.pk, digest, $0.baseAddress,
                $0.count, signature, certificate.sig.len)
        }
        return code == 0
    }
}
