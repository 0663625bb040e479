import Foundation
import Testing
@testable import Crypto
import Wire

@Suite struct KnownAnswerSuite {
    @Test func digests() {
        #expect(KnownAnswerTests.sha256() == nil)
        #expect(KnownAnswerTests.sha1() == nil)
    }

    @Test func ecdsaVectors() throws {
        let random = try RandomGenerator(source: .operatingSystem)
        #expect(KnownAnswerTests.ecdsaP256Verify() == nil)
        #expect(KnownAnswerTests.ecdsaP256DeterministicSign(using: random) == nil)
        #expect(KnownAnswerTests.ecdsaP256RoundTrip(using: random) == nil)
        #expect(KnownAnswerTests.randomGenerator() == nil)
    }

    @Test func incrementalHashMatchesOneShotForEverySplit() throws {
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 3, count: 80)))
        let message = try random.bytes(300)
        let expected = SHA256.hash(message)
        for split in stride(from: 0, through: message.count, by: 7) {
            var hasher = SHA256Hasher()
            hasher.update(message[0..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == expected)
        }
    }
}

@Suite struct RandomGeneratorTests {
    @Test func shortFixedSeedIsRefused() {
        #expect(throws: CryptoError.self) { _ = try RandomGenerator(source: .fixed([1, 2, 3])) }
    }

    @Test func uniformStaysBelowItsBoundAndCoversIt() throws {
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: 9, count: 72)))
        var seen = Set<UInt64>()
        for _ in 0..<2000 {
            let value = try random.uniform(below: 10)
            #expect(value < 10)
            seen.insert(value)
        }
        #expect(seen.count == 10)
    }

    @Test func largeRequestsAreSplit() throws {
        let random = try RandomGenerator(source: .operatingSystem)
        let bytes = try random.bytes(5000)  // more than one CTR-DRBG request (1024)
        #expect(bytes.count == 5000)
        #expect(Set(bytes).count > 200)
    }
}

@Suite struct KeyTests {
    @Test func garbageIsATypedError() {
        #expect(throws: CryptoError.self) { _ = try PrivateKey(encoded: Array("not a key".utf8)) }
        #expect(throws: CryptoError.self) { _ = try PublicKey(encoded: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: CryptoError.self) { _ = try Certificate(der: [0x30, 0x82, 0xFF, 0xFF]) }
        #expect(throws: CryptoError.self) { _ = try Certificate(der: [UInt8](repeating: 0x30, count: Certificate.maximumDERBytes + 1)) }
        #expect(throws: CryptoError.self) { _ = try Certificate.parseAllPEM(Array("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n".utf8)) }
    }

    @Test func verificationRefusesWrongDigestLengthAndEmptySignature() throws {
        let random = try RandomGenerator(source: .operatingSystem)
        let key = try PrivateKey.generateP256(using: random)
        let signature = try key.sign(message: [1, 2, 3], using: random)
        let publicKey = try key.publicKey()
        #expect(publicKey.isValidSignature(signature, sha256Digest: SHA256.hash([1, 2, 3])))
        #expect(!publicKey.isValidSignature(signature, sha256Digest: Array(SHA256.hash([1, 2, 3]).prefix(31))))
        #expect(!publicKey.isValidSignature([], sha256Digest: SHA256.hash([1, 2, 3])))
        // Every single flipped bit of the signature is refused.
        for bit in 0..<(signature.count * 8) {
            var flipped = signature
            flipped[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(!publicKey.isValidSignature(flipped, sha256Digest: SHA256.hash([1, 2, 3])))
        }
    }

    @Test func pemArmourRoundTrip() throws {
        let der: [UInt8] = Array(0..<200)
        let pem = PEM.encode(der, label: "TEST")
        #expect(PEM.looksLikePEM(pem))
        #expect(try PEM.decodeAll(pem + pem, label: "TEST") == [der, der])
        #expect(try PEM.decodeAll(pem, label: "OTHER") == [])
    }
}
