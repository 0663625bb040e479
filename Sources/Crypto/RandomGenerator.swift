import CMbedTLS

/// A CTR-DRBG (NIST SP 800-90A, AES-256) as mbedTLS implements it: the one source of random
/// bytes for keys, nonces, Node-ID choice and jitter.
///
/// Two ways to seed it:
/// - `.operatingSystem`: mbedTLS's entropy collector over the kernel's getrandom(2); the
///   generator reseeds itself from it every `reseedIntervalRequests` requests. This is what
///   peers, the CA and the CLI use.
/// - `.fixed(seed)`: a caller-given seed and no automatic reseeding, so that the simulator and
///   tests get the same bytes for the same seed. Never for keys that leave a test.
public final class RandomGenerator {
    public enum Source {
        case operatingSystem
        case fixed([UInt8])
    }

    /// mbedTLS's own default: reseed from the entropy source after this many requests.
    public static let reseedIntervalRequests: Int32 = 10_000
    /// The most one mbedtls_ctr_drbg_random call may return (MBEDTLS_CTR_DRBG_MAX_REQUEST).
    static let maximumRequestBytes = 1024
    /// A fixed seed must carry at least this much (the generator asks for 48 bytes of entropy
    /// plus a 24-byte nonce when it is seeded).
    public static let minimumFixedSeedBytes = 72

    let context: UnsafeMutablePointer<mbedtls_ctr_drbg_context>
    let entropy: UnsafeMutablePointer<mbedtls_entropy_context>?
    let fixedSeed: FixedSeed?

    /// The bytes of a fixed seed, handed out in order to mbedTLS's entropy callback.
    final class FixedSeed {
        let bytes: [UInt8]
        var used = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    public init(source: Source, personalization: [UInt8] = Array("p2psip".utf8)) throws(CryptoError) {
        context = .allocate(capacity: 1)
        mbedtls_ctr_drbg_init(context)
        switch source {
        case .operatingSystem:
            let entropyContext = UnsafeMutablePointer<mbedtls_entropy_context>.allocate(capacity: 1)
            mbedtls_entropy_init(entropyContext)
            entropy = entropyContext
            fixedSeed = nil
            let code = personalization.withUnsafeBufferPointer { custom in
                mbedtls_ctr_drbg_seed(context, mbedtls_entropy_func, entropyContext, custom.baseAddress, custom.count)
            }
            try check(code, "mbedtls_ctr_drbg_seed (operating system entropy)")
        case .fixed(let seed):
            entropy = nil
            let holder = FixedSeed(seed)
            fixedSeed = holder
            guard seed.count >= RandomGenerator.minimumFixedSeedBytes else {
                throw .malformed("fixed DRBG seed of \(seed.count) bytes (needs \(RandomGenerator.minimumFixedSeedBytes))")
            }
            let code = personalization.withUnsafeBufferPointer { custom in
                mbedtls_ctr_drbg_seed(
                    context, RandomGenerator.fixedSeedCallback,
                    Unmanaged.passUnretained(holder).toOpaque(), custom.baseAddress, custom.count)
            }
            try check(code, "mbedtls_ctr_drbg_seed (fixed seed)")
            // A fixed seed cannot be refreshed: never reseed on our own.
            mbedtls_ctr_drbg_set_reseed_interval(context, Int32.max)
        }
    }

    deinit {
        mbedtls_ctr_drbg_free(context)
        context.deallocate()
        if let entropy {
            mbedtls_entropy_free(entropy)
            entropy.deallocate()
        }
    }

    static let fixedSeedCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int32 = {
        context, output, length in
        guard let context, let output else { return -0x003C }  // MBEDTLS_ERR_ENTROPY_SOURCE_FAILED
        let seed = Unmanaged<FixedSeed>.fromOpaque(context).takeUnretainedValue()
        if seed.bytes.count - seed.used < length { return -0x003C }
        for index in 0..<length {
            output[index] = seed.bytes[seed.used + index]
        }
        seed.used += length
        return 0
    }

    /// Fills `buffer` with random bytes.
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        var offset = 0
        while offset < buffer.count {
            let chunk = min(RandomGenerator.maximumRequestBytes, buffer.count - offset)
            let start = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
            try check(mbedtls_ctr_drbg_random(context, start, chunk), "mbedtls_ctr_drbg_random")
            offset += chunk
        }
    }

    /// `count` random bytes.
    public func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        var failure: CryptoError? = nil
        output.withUnsafeMutableBytes { buffer in
            do throws(CryptoError) { try fill(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return output
    }

    /// A uniformly distributed integer in 0..<bound (rejection sampling, no modulo bias).
    public func uniform(below bound: UInt64) throws(CryptoError) -> UInt64 {
        precondition(bound > 0)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let raw = try bytes(8)
            var value: UInt64 = 0
            for byte in raw { value = value << 8 | UInt64(byte) }
            if value < limit { return value % bound }
        }
    }

    /// For mbedTLS calls that take `f_rng`/`p_rng`.
    var randomFunction: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int32 {
        mbedtls_ctr_drbg_random
    }
    var randomContext: UnsafeMutableRawPointer { UnsafeMutableRawPointer(context) }
}
