import CMbedTLS

/// SHA-1 (FIPS 180-4). RELOAD uses it only where the RFC says so: the overlay hash is the low
/// 32 bits of SHA-1 of the overlay name (RFC 6940 §6.3.2), and certificate hashes for
/// SignerIdentity may name it.
public enum SHA1 {
    public static let digestLength = 20

    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        var output = [UInt8](repeating: 0, count: digestLength)
        let input = Array(data)
        let code = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                mbedtls_sha1_ret(inputBuffer.baseAddress, inputBuffer.count, outputBuffer.baseAddress)
            }
        }
        // With valid pointers mbedtls_sha1_ret cannot fail (no hardware accelerator here).
        precondition(code == 0, "mbedtls_sha1_ret")
        return output
    }
}

/// SHA-256 (FIPS 180-4): Resource-IDs, signatures, certificate hashes.
public enum SHA256 {
    public static let digestLength = 32

    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental SHA-256, for hashing a message in parts (e.g. the signed fields of §6.3.4
/// without copying them together).
public struct SHA256Hasher: ~Copyable {
    let context: UnsafeMutablePointer<mbedtls_sha256_context>
    var finished = false

    public init() {
        context = .allocate(capacity: 1)
        mbedtls_sha256_init(context)
        let code = mbedtls_sha256_starts_ret(context, 0)
        precondition(code == 0, "mbedtls_sha256_starts_ret")
    }

    deinit {
        mbedtls_sha256_free(context)
        context.deallocate()
    }

    public mutating func update<C: Collection>(_ data: C) where C.Element == UInt8 {
        precondition(!finished)
        let code: Int32
        if let direct = data.withContiguousStorageIfAvailable({ buffer in
            mbedtls_sha256_update_ret(context, buffer.baseAddress, buffer.count)
        }) {
            code = direct
        } else {
            let copy = Array(data)
            code = copy.withUnsafeBufferPointer { mbedtls_sha256_update_ret(context, $0.baseAddress, $0.count) }
        }
        precondition(code == 0, "mbedtls_sha256_update_ret")
    }

    public mutating func finalize() -> [UInt8] {
        precondition(!finished)
        finished = true
        var output = [UInt8](repeating: 0, count: SHA256.digestLength)
        let code = output.withUnsafeMutableBufferPointer { mbedtls_sha256_finish_ret(context, $0.baseAddress) }
        precondition(code == 0, "mbedtls_sha256_finish_ret")
        return output
    }
}
