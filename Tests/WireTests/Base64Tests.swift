import Testing
@testable import Wire

@Suite struct Base64Tests {
    /// RFC 4648 §10, the BASE64 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Base64Tests.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.encodeBytes(Array(plain.utf8)) == Array(encoded.utf8))
            #expect(Base64.decode(Array(encoded.utf8), limit: 6) == Array(plain.utf8), "\(encoded)")
        }
    }

    @Test func decodesAndSkipsWhitespace() {
        #expect(Base64.decode(Array("TWFu".utf8), limit: 3) == Array("Man".utf8))
        #expect(Base64.decode(Array("TWE=".utf8), limit: 3) == Array("Ma".utf8))
        // XML values and PEM bodies are wrapped: whitespace anywhere is skipped (RFC 4648 §3.3).
        #expect(Base64.decode(Array(" T W\nE = ".utf8), limit: 3) == Array("Ma".utf8))
        #expect(Base64.decode(Array("Zm9v\r\n\tYmFy\n".utf8), limit: 6) == Array("foobar".utf8))
    }

    @Test func rejectsWhatIsNotCanonical() {
        // Missing padding, "=" inside, non-zero pad bits (§3.5), too much padding, padding
        // before the last group, characters outside the alphabet (including base64url's).
        for bad in ["TWE", "TW=a", "TWF=", "Zh==", "T===", "====", "TWE=TWE=", "TW!u", "Zm9-", "Zm9_", "Zg==="] {
            #expect(Base64.decode(Array(bad.utf8), limit: 16) == nil, "\(bad)")
        }
    }

    @Test func decodingIsBoundedByTheLimit() {
        #expect(Base64.decode(Array("Zm9vYmFy".utf8), limit: 6) == Array("foobar".utf8))
        #expect(Base64.decode(Array("Zm9vYmFy".utf8), limit: 5) == nil)
        #expect(Base64.decode(Array("Zm9vYmE=".utf8), limit: 5) == Array("fooba".utf8))
        #expect(Base64.decode(Array("Zm9vYmE=".utf8), limit: 4) == nil)
        #expect(Base64.decode(Array("Zm9vYmFy".utf8), limit: 0) == nil)
        #expect(Base64.decode([UInt8](), limit: 0) == [])
    }

    @Test func roundTrips() {
        for length in 0..<40 {
            let data = [UInt8]((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37) })
            #expect(Base64.decode(Array(Base64.encode(data).utf8), limit: length) == data)
        }
    }
}
