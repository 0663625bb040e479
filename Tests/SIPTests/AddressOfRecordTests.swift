import Crypto
import Reload
import SIP
import Testing
import Wire

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
