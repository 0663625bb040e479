import Wire

/// Known-answer tests of the linked crypto library, run by `p2psip selftest` on the board
/// itself (a miscompiled or mis-linked mbedTLS shows here, not as a failed handshake later).
/// Each returns nil when the answer is right, or what was wrong.
public enum KnownAnswerTests {
    /// FIPS 180-2 appendix B.1 ("abc") and the empty message.
    public static func sha256() -> String? {
        let abc = Hex.encode(SHA256.hash(Array("abc".utf8)))
        if abc != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" { return "SHA-256(\"abc\") = \(abc)" }
        let empty = Hex.encode(SHA256.hash([UInt8]()))
        if empty != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" { return "SHA-256(\"\") = \(empty)" }
        var hasher = SHA256Hasher()
        hasher.update(Array("a".utf8))
        hasher.update(Array("bc".utf8))
        let parts = Hex.encode(hasher.finalize())
        if parts != Hex.encode(SHA256.hash(Array("abc".utf8))) { return "incremental SHA-256 differs: \(parts)" }
        return nil
    }

    /// FIPS 180-2 appendix A.1 ("abc").
    public static func sha1() -> String? {
        let abc = Hex.encode(SHA1.hash(Array("abc".utf8)))
        return abc == "a9993e364706816aba3e25717850c26c9cd0d89d" ? nil : "SHA-1(\"abc\") = \(abc)"
    }

    /// RFC 6979 appendix A.2.5: the P-256 key pair and the signature of "sample" with SHA-256.
    /// (Checked against an independent implementation, Python's `cryptography`, when added.)
    static let rfc6979PrivateScalar = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
    static let rfc6979PublicKeyDER =
        "3059301306072a8648ce3d020106082a8648ce3d0301070342000460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
    static let rfc6979SampleSignatureDER =
        "3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"

    /// Verifies the RFC 6979 signature with the fixed public key, and refuses it for another
    /// message and with one bit flipped.
    public static func ecdsaP256Verify() -> String? {
        guard let keyDER = Hex.decode(rfc6979PublicKeyDER), let signature = Hex.decode(rfc6979SampleSignatureDER) else {
            return "vector does not decode"
        }
        let key: PublicKey
        do { key = try PublicKey(encoded: keyDER) } catch { return error.description }
        if key.kind != .ecdsaP256 { return "fixed key is not P-256" }
        if !key.isValidSignature(signature, sha256Digest: SHA256.hash(Array("sample".utf8))) {
            return "valid RFC 6979 signature refused"
        }
        if key.isValidSignature(signature, sha256Digest: SHA256.hash(Array("test".utf8))) {
            return "signature accepted for another message"
        }
        var flipped = signature
        flipped[40] ^= 0x01
        if key.isValidSignature(flipped, sha256Digest: SHA256.hash(Array("sample".utf8))) {
            return "signature with a flipped bit accepted"
        }
        return nil
    }

    /// Deterministic ECDSA (RFC 6979) must reproduce the RFC's signature exactly.
    public static func ecdsaP256DeterministicSign(using random: RandomGenerator) -> String? {
        guard let scalar = Hex.decode(rfc6979PrivateScalar) else { return "vector does not decode" }
        do {
            let key = try PrivateKey.p256(scalar: scalar, using: random)
            if Hex.encode(try key.publicKeyDER()) != rfc6979PublicKeyDER { return "public key from the scalar differs" }
            let signature = try key.sign(message: Array("sample".utf8), using: random)
            if Hex.encode(signature) != rfc6979SampleSignatureDER {
                return "signature of \"sample\" is \(Hex.encode(signature))"
            }
        } catch {
            return error.description
        }
        return nil
    }

    /// A fresh key signs and verifies; a changed message or signature is refused; the key
    /// survives a PEM round trip.
    public static func ecdsaP256RoundTrip(using random: RandomGenerator) -> String? {
        do {
            let key = try PrivateKey.generateP256(using: random)
            let message = try random.bytes(100)
            let signature = try key.sign(message: message, using: random)
            let publicKey = try key.publicKey()
            if !publicKey.isValidSignature(signature, sha256Digest: SHA256.hash(message)) { return "own signature refused" }
            var changed = message
            changed[0] ^= 0x80
            if publicKey.isValidSignature(signature, sha256Digest: SHA256.hash(changed)) { return "changed message accepted" }
            let reloaded = try PrivateKey(encoded: key.pemEncoded())
            if try reloaded.publicKeyDER() != key.publicKeyDER() { return "PEM round trip changed the key" }
            let again = try reloaded.sign(message: message, using: random)
            if !publicKey.isValidSignature(again, sha256Digest: SHA256.hash(message)) { return "reloaded key's signature refused" }
        } catch {
            return error.description
        }
        return nil
    }

    /// The same fixed seed gives the same bytes; different seeds differ; the operating system
    /// source gives bytes that are not all equal.
    public static func randomGenerator() -> String? {
        do {
            let seed = [UInt8](repeating: 7, count: RandomGenerator.minimumFixedSeedBytes)
            let first = try RandomGenerator(source: .fixed(seed)).bytes(64)
            let second = try RandomGenerator(source: .fixed(seed)).bytes(64)
            if first != second { return "fixed seed is not reproducible" }
            var otherSeed = seed
            otherSeed[0] = 8
            if try RandomGenerator(source: .fixed(otherSeed)).bytes(64) == first { return "different seeds gave the same bytes" }
            let system = try RandomGenerator(source: .operatingSystem)
            let a = try system.bytes(64)
            let b = try system.bytes(64)
            if a == b || Set(a).count < 16 { return "operating system seeded output looks constant" }
        } catch {
            return error.description
        }
        return nil
    }
}
