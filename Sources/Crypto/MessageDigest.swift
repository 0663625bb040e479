import CMbedTLS

/// One computation of an mbedTLS message digest (`mbedtls_md`) or its HMAC (`mbedtls_md_hmac`,
/// RFC 2104), for the digests that have no owner type of their own. Callers never see the C
/// types: they name the digest by this enum.
enum MessageDigest {
    case md5
    case sha256

    var type: mbedtls_md_type_t {
        switch self {
        case .md5: return MBEDTLS_MD_MD5
        case .sha256: return MBEDTLS_MD_SHA256
        }
    }

    var length: Int {
        switch self {
        case .md5: return MD5.digestLength
        case .sha256: return SHA256.digestLength
        }
    }

    /// The digest's description; mbedTLS has every digest we name compiled in (Debian's 2.28
    /// config.h defines MBEDTLS_MD5_C and MBEDTLS_SHA256_C; MessageDigestTests checks them).
    var information: OpaquePointer {
        guard let info = mbedtls_md_info_from_type(type) else { preconditionFailure("mbedTLS lacks a digest we name") }
        precondition(Int(mbedtls_md_get_size(info)) == length)
        return info
    }

    func hash(_ input: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let code = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { mbedtls_md(information, inputBuffer.baseAddress, inputBuffer.count, $0.baseAddress) }
        }
        // mbedtls_md fails only on a missing digest description (checked above).
        precondition(code == 0, "mbedtls_md")
        return output
    }

    func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let code = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                output.withUnsafeMutableBufferPointer {
                    mbedtls_md_hmac(
                        information, keyBuffer.baseAddress, keyBuffer.count, messageBuffer.baseAddress, messageBuffer.count,
                        $0.baseAddress)
                }
            }
        }
        // mbedtls_md_hmac fails only on a missing digest description or an allocation failure.
        precondition(code == 0, "mbedtls_md_hmac")
        return output
    }
}
