import Foundation
import Testing
@testable import Crypto
import Wire

/// Our keys, signatures and certificate parsing against OpenSSL's command line tool.
@Suite(.enabled(if: OpenSSLScratch.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct OpenSSLInteropTests {
    @Test func opensslSignsWeVerifyAndTheOtherWayRound() throws {
        let tool = try OpenSSLScratch()
        let directory = tool.directory
        try tool.requireOpenSSL(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem"])
        try tool.requireOpenSSL(["ec", "-in", "key.pem", "-pubout", "-out", "pub.pem"])
        let message = Data("a RELOAD message to sign".utf8)
        try message.write(to: directory.appendingPathComponent("message"))
        try tool.requireOpenSSL(["dgst", "-sha256", "-sign", "key.pem", "-out", "signature", "message"])

        let privateKey = try PrivateKey(encoded: Array(try Data(contentsOf: directory.appendingPathComponent("key.pem"))))
        let publicKey = try PublicKey(encoded: Array(try Data(contentsOf: directory.appendingPathComponent("pub.pem"))))
        #expect(publicKey.kind == .ecdsaP256)
        #expect(try privateKey.publicKeyDER() == publicKey.derEncoded())
        let theirs = Array(try Data(contentsOf: directory.appendingPathComponent("signature")))
        #expect(publicKey.isValidSignature(theirs, sha256Digest: SHA256.hash(Array(message))))

        let random = try RandomGenerator(source: .operatingSystem)
        let ours = try privateKey.sign(message: Array(message), using: random)
        try Data(ours).write(to: directory.appendingPathComponent("ours"))
        let verified = try tool.openssl(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "ours", "message"])
        #expect(verified.status == 0, "openssl refused our signature: \(verified.output)")

        // Our PEM is readable by OpenSSL.
        try Data(try privateKey.pemEncoded()).write(to: directory.appendingPathComponent("ours.pem"))
        try tool.requireOpenSSL(["ec", "-in", "ours.pem", "-check", "-noout"])
    }

    @Test func rsaPKCS1SignaturesVerify() throws {
        // RFC 6940 §6.3.4: every implementation MUST verify RSASSA-PKCS1-v1_5 with SHA-256.
        let tool = try OpenSSLScratch()
        let directory = tool.directory
        try tool.requireOpenSSL(["genrsa", "-out", "rsa.pem", "2048"])
        try tool.requireOpenSSL(["rsa", "-in", "rsa.pem", "-pubout", "-out", "rsapub.pem"])
        try Data("payload".utf8).write(to: directory.appendingPathComponent("payload"))
        try tool.requireOpenSSL(["dgst", "-sha256", "-sign", "rsa.pem", "-out", "sig", "payload"])
        let key = try PublicKey(encoded: Array(try Data(contentsOf: directory.appendingPathComponent("rsapub.pem"))))
        #expect(key.kind == .rsa(bits: 2048))
        var signature = Array(try Data(contentsOf: directory.appendingPathComponent("sig")))
        #expect(key.isValidSignature(signature, sha256Digest: SHA256.hash(Array("payload".utf8))))
        signature[100] ^= 0x04
        #expect(!key.isValidSignature(signature, sha256Digest: SHA256.hash(Array("payload".utf8))))
        // We sign only with P-256: an RSA private key is refused as a signing key.
        #expect(throws: CryptoError.unsupportedKey("private key is not ECDSA P-256")) {
            _ = try PrivateKey(encoded: Array(try Data(contentsOf: directory.appendingPathComponent("rsa.pem"))))
        }
    }

    @Test func certificateFieldsFromAnOpenSSLCertificate() throws {
        let tool = try OpenSSLScratch()
        let directory = tool.directory
        let uri = "reload://0110000102030405060708090a0b0c0d0e0f@example.org/"
        try tool.requireOpenSSL([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=alice",
            "-set_serial", "4660",
            "-addext", "subjectAltName=URI:\(uri),email:alice@example.org",
            "-addext", "basicConstraints=critical,CA:FALSE",
        ])
        let pem = Array(try Data(contentsOf: directory.appendingPathComponent("cert.pem")))
        let certificate = try Certificate.parse(pem)
        #expect(certificate.subject == "CN=alice")
        #expect(certificate.serialNumber == [0x12, 0x34])
        #expect(certificate.uniformResourceIdentifiers == [uri])
        #expect(certificate.rfc822Names == ["alice@example.org"])
        #expect(!certificate.isCertificateAuthority)
        #expect(certificate.version == 3)
        #expect(certificate.notBefore < certificate.notAfter)
        let key = try PrivateKey(encoded: Array(try Data(contentsOf: directory.appendingPathComponent("key.pem"))))
        #expect(try certificate.publicKeyDER() == key.publicKeyDER())
        // DER and PEM give the same certificate; two PEM blocks give two.
        let der = try tool.requireOpenSSL(["x509", "-in", "cert.pem", "-outform", "DER"])
        #expect(try Certificate(der: Array(der)).der == Array(der))
        #expect(try Certificate.parseAllPEM(pem + pem).count == 2)
    }

    /// Makes a CSR with `openssl req` in the scratch directory (req.der, key.pem) and returns its DER.
    func opensslRequest(key: String, subject: String, digest: String, _ tool: OpenSSLScratch) throws -> [UInt8] {
        let keyOptions = key == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"]
        try tool.requireOpenSSL(
            ["req", "-new"] + keyOptions + ["-nodes", "-keyout", "key.pem", "-subj", subject, digest, "-outform", "DER", "-out", "req.der"])
        return try tool.read("req.der")
    }

    /// RFC 6940 §11.3: a client may request no user name. `openssl req -subj "/"` makes a CSR
    /// whose subject is a Name of no RDN, which mbedTLS 2.28's CSR parser refuses; ours reads
    /// it, verifies it (every accepted digest, ECDSA and RSA) and finds no requested name.
    @Test(arguments: [("ec", "-sha256"), ("ec", "-sha384"), ("ec", "-sha512"), ("rsa", "-sha256"), ("rsa", "-sha512")])
    func opensslRequestWithEmptySubject(key: String, digest: String) throws {
        let tool = try OpenSSLScratch()
        let der = try opensslRequest(key: key, subject: "/", digest: digest, tool)
        let subject = try tool.requireOpenSSL(["req", "-inform", "DER", "-in", "req.der", "-noout", "-subject"])
        #expect(String(decoding: subject, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "subject=")
        let request = try CertificateSigningRequest(der: der)
        #expect(request.requestedNames.isEmpty)
        #expect(request.der == der)
        let spki = try tool.requireOpenSSL(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"])
        #expect(try request.publicKeyDER() == Array(spki))
        #expect(request.publicKey().kind == (key == "ec" ? .ecdsaP256 : .rsa(bits: 2048)))
    }

    /// An OpenSSL CSR that names alice yields "alice"; one changed byte of that name breaks
    /// the self-signature (RFC 2986 §4.2), and the request is refused.
    @Test func opensslRequestWithNameAndAChangedByte() throws {
        let tool = try OpenSSLScratch()
        var der = try opensslRequest(key: "ec", subject: "/CN=alice", digest: "-sha256", tool)
        #expect(try CertificateSigningRequest(der: der).requestedNames == ["alice"])
        let index = try #require(der.indices.first { Array(der[$0..<min($0 + 5, der.count)]) == Array("alice".utf8) })
        der[index + 1] = UInt8(ascii: "r")
        #expect(throws: CryptoError.invalidSignature("CSR self-signature does not verify")) {
            try CertificateSigningRequest(der: der)
        }
    }

    /// `openssl req -sha1` signs with ecdsa-with-SHA1: refused, whatever the subject.
    @Test(arguments: ["/", "/CN=alice"])
    func opensslSHA1RequestIsRefused(subject: String) throws {
        let tool = try OpenSSLScratch()
        let der = try opensslRequest(key: "ec", subject: subject, digest: "-sha1", tool)
        #expect(throws: CryptoError.invalidSignature("CSR signed with an unaccepted algorithm")) {
            try CertificateSigningRequest(der: der)
        }
    }

    /// The empty-subject CSR we make is one OpenSSL reads and verifies.
    @Test func opensslVerifiesOurEmptySubjectRequest() throws {
        let tool = try OpenSSLScratch()
        let random = try RandomGenerator(source: .operatingSystem)
        let key = try PrivateKey.generateP256(using: random)
        try tool.write("ours.der", try CertificateSigningRequest.create(subject: "", key: key, using: random))
        let output = try tool.openssl(["req", "-inform", "DER", "-in", "ours.der", "-verify", "-noout", "-subject"])
        #expect(output.status == 0, "\(output.output)")
        #expect(output.output.components(separatedBy: "\n").contains("subject="), "\(output.output)")
    }
}
