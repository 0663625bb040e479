@testable import Crypto
import Testing
import Wire

@Suite struct PasswordHashTests {
    /// PBKDF2-HMAC-SHA256("password", "salt", 4096, 32), the widely published vector.
    @Test func knownAnswer() throws {
        let derived = try PasswordHash.derive(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096)
        #expect(Hex.encode(derived) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test func createEncodeParseMatch() throws {
        let random = Fixture.random()
        let hash = try PasswordHash.create(password: Array("correct horse".utf8), iterations: 1000, using: random)
        #expect(hash.salt.count == 16)
        #expect(hash.encoded.hasPrefix("pbkdf2-sha256$1000$"))
        let parsed = try PasswordHash(encoded: hash.encoded)
        #expect(parsed == hash)
        #expect(parsed.matches(password: Array("correct horse".utf8)))
        #expect(!parsed.matches(password: Array("correct horsE".utf8)))
        #expect(!parsed.matches(password: []))
        #expect(!parsed.matches(password: [UInt8](repeating: 0x61, count: CryptoLimits.maximumPasswordBytes + 1)))
        let other = try PasswordHash.create(password: Array("correct horse".utf8), iterations: 1000, using: random)
        #expect(other.salt != hash.salt)
        #expect(other.hash != hash.hash)
    }

    @Test(arguments: [
        "", "pbkdf2-sha256", "pbkdf2-sha1$1000$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$999$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$01000$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$99999999999$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$1000$0011$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$1000$00112233445566778899AABBCCDDEEFF$" + String(repeating: "00", count: 32),
        "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 31),
        "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32) + "$",
        "pbkdf2-sha256$1000$ 00112233445566778899aabbccddeeff$" + String(repeating: "00", count: 32),
    ])
    func malformedEncodingsAreRefused(text: String) {
        #expect(throws: CryptoError.self) { try PasswordHash(encoded: text) }
    }

    @Test func constantTimeEqual() {
        #expect(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!PasswordHash.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(PasswordHash.constantTimeEqual([], []))
    }
}
