import Crypto
import Testing
import Wire

@Suite struct MessageDigestTests {
    /// RFC 1321 §A.5, the test suite of the reference implementation.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5KnownAnswers(input: String, expected: String) {
        let digest = MD5.hash(Array(input.utf8))
        #expect(digest.count == MD5.digestLength)
        #expect(Hex.encode(digest) == expected)
    }

    /// RFC 4231 §4.2-§4.8, HMAC-SHA-256 (test case 5, a truncated output, is not a case of ours).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Hex.encode(Array("Hi There".utf8)),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Hex.encode(Array("Jefe".utf8)), Hex.encode(Array("what do ya want for nothing?".utf8)),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131), Hex.encode(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         Hex.encode(Array(("This is a test using a larger than block-size key and a larger than block-size data. "
            + "The key needs to be hashed before being used by the HMAC algorithm.").utf8)),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmacSHA256KnownAnswers(key: String, message: String, expected: String) throws {
        let code = HMACSHA256.authenticationCode(key: try #require(Hex.decode(key)), message: try #require(Hex.decode(message)))
        #expect(code.count == HMACSHA256.codeLength)
        #expect(Hex.encode(code) == expected)
    }

    @Test func constantTimeComparison() {
        let code = HMACSHA256.authenticationCode(key: [1, 2, 3], message: [4])
        #expect(HMACSHA256.isEqual(code, code))
        var flipped = code
        flipped[31] ^= 1
        #expect(!HMACSHA256.isEqual(code, flipped))
        #expect(!HMACSHA256.isEqual(code, Array(code.dropLast())))
        #expect(HMACSHA256.authenticationCode(key: [1, 2, 3], message: [5]) != code)
    }
}
