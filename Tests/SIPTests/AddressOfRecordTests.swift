import Crypto
import Reload
import SIP
import Testing
import Wire

/// The wall clock `seconds` after 1970 (the tests count whole seconds, as SIP does).
private func at(_ seconds: Int64) -> WallTime { WallTime(secondsSince1970: seconds) }

@Suite struct AddressOfRecordTests {
    func uri(_ text: String) throws -> SIPURI {
        return try SIPURI.parse(Array(text.utf8), field: "To")
    }

    /// RFC 7904 §2 and §7: scheme removed, escapes decoded; the host compared in lower case.
    @Test(arguments: [
        ("sip:alice@dht.example.org", "alice@dht.example.org"),
        ("sips:alice@dht.example.org", "alice@dht.example.org"),
        ("sip:alice@DHT.Example.ORG;transport=udp?Subject=x", "alice@dht.example.org"),
        ("sip:%61lice@dht.example.org", "alice@dht.example.org"),
        ("sip:Alice.Smith%2bwork@dht.example.org", "Alice.Smith+work@dht.example.org"),
    ])
    func resourceName(text: String, expected: String) throws {
        let aor = try AddressOfRecord(uri: try uri(text))
        #expect(aor.text == expected)
    }

    @Test(arguments: ["sip:dht.example.org", "sip:alice@dht.example.org:5060", "sip:al%00ice@dht.example.org",
                      "sip:al%40ice@dht.example.org", "sip:alice@[2001:db8::1]", "sip:a%20b@dht.example.org"])
    func refused(text: String) throws {
        #expect(throws: SIPError.self) { try AddressOfRecord(uri: try uri(text)) }
    }

    /// RFC 6940 §10.2: SHA-1 truncated to the node-id-length; it is the hash of the name a
    /// certificate carries (USER-NODE-MATCH, RFC 6940 §7.3.3), not of the sip: URI.
    @Test func resourceIdIsTruncatedSHA1OfTheName() throws {
        let aor = try AddressOfRecord(uri: try uri("sip:alice@dht.example.org"))
        let digest = SHA1.hash(Array("alice@dht.example.org".utf8))
        #expect(aor.resourceId().bytes == Array(digest.prefix(16)))
        #expect(aor.resourceId(nodeIdLength: 20).bytes == digest)
        #expect(aor.resourceId().bytes != Array(SHA1.hash(Array("sip:alice@dht.example.org".utf8)).prefix(16)))
        let bob = try AddressOfRecord(uri: try uri("sip:bob@dht.example.org"))
        #expect(bob.resourceId() != aor.resourceId())
    }
}

@Suite struct FailureRateLimiterTests {
    let source = Array("192.0.2.1".utf8)

    @Test func blocksAfterAllowedFailuresAndDecays() {
        var limiter = FailureRateLimiter(capacity: 8, allowedFailures: 3, decaySeconds: 10)
        for _ in 0..<2 { limiter.recordFailure(source, now: at(100)) }
        #expect(!limiter.isBlocked(source, now: at(100)))
        limiter.recordFailure(source, now: at(100))
        #expect(limiter.isBlocked(source, now: at(100)))
        #expect(limiter.isBlocked(source, now: at(109)))
        #expect(!limiter.isBlocked(source, now: at(110)))
        #expect(!limiter.isBlocked(Array("192.0.2.2".utf8), now: at(100)))
        // A clock stepping back decays nothing.
        #expect(limiter.isBlocked(source, now: at(50)))
        limiter.recordSuccess(source)
        #expect(!limiter.isBlocked(source, now: at(100)))
    }

    /// Failures pile up to a ceiling: a source that failed a thousand times is not locked out
    /// for a thousand decay periods.
    @Test func failuresHaveACeiling() {
        var limiter = FailureRateLimiter(capacity: 8, allowedFailures: 2, decaySeconds: 10)
        for _ in 0..<1000 { limiter.recordFailure(source, now: at(0)) }
        #expect(limiter.isBlocked(source, now: at(29)))
        #expect(!limiter.isBlocked(source, now: at(30)))
    }

    /// A full table drops decayed sources; if none has decayed, unknown sources are refused.
    @Test func fullTableFailsClosed() {
        var limiter = FailureRateLimiter(capacity: 2, allowedFailures: 5, decaySeconds: 10)
        let recorded = [limiter.recordFailure([1], now: at(0)), limiter.recordFailure([2], now: at(0)), limiter.recordFailure([3], now: at(5))]
        #expect(recorded == [true, true, false])
        #expect(limiter.isBlocked([3], now: at(5)))
        #expect(!limiter.isBlocked([1], now: at(5)))
        // At 10 s the first two have decayed to nothing and make room.
        let later = limiter.recordFailure([3], now: at(10))
        #expect(later)
        #expect(limiter.count == 1)
        #expect(!limiter.isBlocked([4], now: at(10)))
    }
}
