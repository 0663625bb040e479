import Config
import Crypto
import Enrollment
import Foundation
import Testing
import Wire

/// The enrollment server against tools nobody here wrote: openssl makes the CSR, curl posts it
/// (multipart/form-data, RFC 6940 §11.3) and fetches the configuration and the CRL, openssl
/// checks what came back.
@Suite(.serialized, .enabled(if: Tool.hasCurlAndOpenSSL, "needs curl and openssl (cross/deps all)"))
struct InteropTests {
    @Test func opensslRequestCurlPostOpensslVerify() throws {
        let server = try EnrollmentServerProcess(users: [("dave", nil)])
        defer { server.stop() }
        let made = try Tool.system("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "dave.key",
            "-subj", "/CN=dave", "-out", "dave.csr",
        ], in: server.directory)
        #expect(made.status == 0, "\(made.error)")
        // PEM CSR, the RFC's Accept header, nodeids = 2.
        let posted = try server.curl([
            "-H", "Accept: application/pkix-cert", "-F", "username=dave", "-F", "password=dave-password", "-F", "nodeids=2",
            "-F", "csr=@dave.csr;type=application/pkcs10", "-o", "dave.der", "-w", "%{http_code} %{content_type}",
            "\(server.url)/enroll",
        ])
        #expect(posted.output == "200 application/pkix-cert", "\(posted.output) \(posted.error)")
        // openssl verify reads PEM: convert the DER answer first.
        let converted = try Tool.system("openssl", ["x509", "-inform", "DER", "-in", "dave.der", "-out", "dave.pem"], in: server.directory)
        #expect(converted.status == 0, "\(converted.error)")
        let ok = try Tool.system("openssl", ["verify", "-CAfile", server.rootCertificate, "dave.pem"], in: server.directory)
        #expect(ok.status == 0 && ok.output.contains("dave.pem: OK"), "\(ok.output) \(ok.error)")
        let text = try Tool.system("openssl", ["x509", "-in", "dave.pem", "-noout", "-text"], in: server.directory)
        #expect(text.output.components(separatedBy: "URI:reload://0110").count == 3, "two Node-IDs: \(text.output)")
        #expect(text.output.contains("email:dave@overlay.example.org"))
        // The key in the certificate is the one openssl made.
        let fromKey = try Tool.system("openssl", ["pkey", "-in", "dave.key", "-pubout"], in: server.directory)
        let fromCertificate = try Tool.system("openssl", ["x509", "-in", "dave.pem", "-noout", "-pubkey"], in: server.directory)
        #expect(!fromKey.output.isEmpty && fromKey.output == fromCertificate.output)
    }

    @Test func curlFetchesTheSignedConfigurationAndTheCRL() throws {
        let server = try EnrollmentServerProcess(users: [])
        defer { server.stop() }
        let configuration = try server.curl(["-o", "config.xml", "-w", "%{http_code} %{content_type}",
                                             "\(server.url)/.well-known/reload-config"])
        #expect(configuration.output == "200 application/p2p-overlay+xml", "\(configuration.error)")
        let bytes = Array(try Data(contentsOf: server.file("config.xml")))
        #expect(bytes == Array(try Data(contentsOf: server.ca.appendingPathComponent("reload-config.xml"))))
        let document = try OverlayDocument.parse(bytes)
        let signed = try #require(document.configurations.first)
        let root = try Certificate.parse(Array(try Data(contentsOf: URL(fileURLWithPath: server.rootCertificate))))
        let verifier = try IdentityVerifier(overlayName: EnrollmentServerProcess.overlay, nodeIdLength: 16, roots: [root], selfSigned: nil)
        try ConfigurationSignature.verify(signed, verifier: verifier, now: CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970)))
        let values = signed.configuration
        #expect(values.instanceName == EnrollmentServerProcess.overlay && values.nodeIdLength == 16 && values.noICE)
        #expect(values.maxMessageSize == 5000 && values.initialTTL == 100 && values.overlayReliabilityTimerMilliseconds == 3000)
        #expect(values.rootCertificates == [root.der] && values.enrollmentServers == ["https://overlay.example.org/enroll"])
        #expect(values.bootstrapNodes == [BootstrapNode(address: "127.0.0.1", port: 6084)])
        #expect(values.requiredKinds.map { $0.identifier } == [
            .name("SIP-REGISTRATION"), .name("CERTIFICATE_BY_NODE"), .name("CERTIFICATE_BY_USER"), .id(0xF000_0001),
        ])
        #expect(values.expiresAtSeconds != nil && values.sequence == 1 && values.configurationSigners.count == 1)

        let crl = try server.curl(["-o", "crl.der", "-w", "%{http_code} %{content_type}", "\(server.url)/crl"])
        #expect(crl.output == "200 application/pkix-crl")
        let read = try Tool.system("openssl", ["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], in: server.directory)
        #expect(read.status == 0 && read.output.contains("No Revoked Certificates"), "\(read.output) \(read.error)")
        let checked = try Tool.system("openssl", ["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-CAfile", server.rootCertificate],
                                      in: server.directory)
        #expect(checked.error.contains("verify OK"), "\(checked.output) \(checked.error)")
    }
}
