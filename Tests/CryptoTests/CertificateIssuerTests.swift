import Crypto
import Testing
import Wire

@Suite struct CertificateIssuerTests {
    @Test func rootIsACertificateAuthority() throws {
        let random = Fixture.random()
        let root = try Fixture.root(random)
        #expect(root.certificate.isCertificateAuthority)
        #expect(root.certificate.isSelfIssued)
        #expect(root.certificate.subject == "CN=p2psip root overlay.example.org")
    }

    @Test func nodeCertificateCarriesNodeIdsAndUserName() throws {
        let random = Fixture.random()
        let root = try Fixture.root(random)
        let key = try PrivateKey.generateP256(using: random)
        let ids = [Fixture.nodeId(0xA1), Fixture.nodeId(0xB2)]
        let der = try root.issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: ids, userName: "alice@overlay.example.org", overlay: Fixture.overlay,
            serial: CertificateIssuer.randomSerial(using: random), notBefore: Fixture.notBefore,
            notAfter: Fixture.notAfter, using: random)
        let certificate = try Certificate(der: der)
        #expect(certificate.subject == "")
        #expect(!certificate.isCertificateAuthority)
        #expect(certificate.uniformResourceIdentifiers == [
            "reload://0110" + Hex.encode(ids[0]) + "@overlay.example.org/",
            "reload://0110" + Hex.encode(ids[1]) + "@overlay.example.org/",
        ])
        let identity = try certificate.reloadIdentity(overlay: Fixture.overlay, nodeIdLength: 16)
        #expect(identity.nodeIds == ids)
        #expect(identity.userName == "alice@overlay.example.org")
        #expect(certificate.issuerRaw == root.certificate.subjectRaw)
        #expect(certificate.serialNumber.count == 16)
    }

    @Test func opensslVerifiesANodeCertificateAndShowsItsNames() throws {
        guard OpenSSLScratch.hasOpenSSL else {
            print("skipped: openssl not installed")
            return
        }
        let random = Fixture.random()
        let root = try Fixture.root(random)
        let key = try PrivateKey.generateP256(using: random)
        let der = try root.issueNodeCertificate(
            publicKey: key.publicKey(), nodeIds: [Fixture.nodeId(0x42)], userName: "bob@overlay.example.org",
            overlay: Fixture.overlay, serial: CertificateIssuer.randomSerial(using: random),
            notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        let tool = try OpenSSLScratch()
        try tool.write("root.pem", PEM.encode(root.certificate.der, label: "CERTIFICATE"))
        try tool.write("node.der", der)
        let converted = try tool.openssl(["x509", "-inform", "DER", "-in", "node.der", "-out", "node.pem"])
        #expect(converted.status == 0, "\(converted.output)")
        // -attime: the certificates are valid in 2026, whatever the machine's clock says.
        let verified = try tool.openssl(["verify", "-attime", "1780000000", "-CAfile", "root.pem", "node.pem"])
        #expect(verified.status == 0, "\(verified.output)")
        let text = try tool.openssl(["x509", "-in", "node.pem", "-noout", "-text"])
        #expect(text.output.contains("URI:reload://0110" + Hex.encode(Fixture.nodeId(0x42)) + "@overlay.example.org/"))
        #expect(text.output.contains("email:bob@overlay.example.org"))
        #expect(text.output.contains("CA:FALSE"))
        let rootText = try tool.openssl(["x509", "-in", "root.pem", "-noout", "-text"])
        #expect(rootText.output.contains("CA:TRUE"))
        #expect(rootText.output.contains("Certificate Sign, CRL Sign"))
    }
}


@Suite struct ServerCertificateTests {
    @Test func tlsServerCertificateForTheEnrollmentServer() throws {
        let random = Fixture.random(4)
        let root = try Fixture.root(random)
        let key = try PrivateKey.generateP256(using: random)
        let der = try root.issueServerCertificate(
            publicKey: key.publicKey(), dnsNames: ["overlay.example.org", "ca.overlay.example.org"],
            ipAddresses: [[127, 0, 0, 1], [UInt8](repeating: 0, count: 15) + [1]],
            serial: CertificateIssuer.randomSerial(using: random), notBefore: Fixture.notBefore, notAfter: Fixture.notAfter,
            using: random)
        let certificate = try Certificate(der: der)
        #expect(certificate.subject == "CN=overlay.example.org")
        #expect(!certificate.isCertificateAuthority)
        #expect(throws: CryptoError.self) {
            try root.issueServerCertificate(
                publicKey: key.publicKey(), dnsNames: [], ipAddresses: [], serial: [1], notBefore: Fixture.notBefore,
                notAfter: Fixture.notAfter, using: random)
        }
        #expect(throws: CryptoError.self) {
            try root.issueServerCertificate(
                publicKey: key.publicKey(), dnsNames: ["x.example"], ipAddresses: [[1, 2, 3]], serial: [1],
                notBefore: Fixture.notBefore, notAfter: Fixture.notAfter, using: random)
        }
        guard OpenSSLScratch.hasOpenSSL else {
            print("skipped: openssl not installed")
            return
        }
        let tool = try OpenSSLScratch()
        try tool.write("root.pem", PEM.encode(root.certificate.der, label: "CERTIFICATE"))
        try tool.write("server.pem", PEM.encode(der, label: "CERTIFICATE"))
        let verified = try tool.openssl([
            "verify", "-attime", "1780000000", "-purpose", "sslserver", "-verify_hostname", "overlay.example.org",
            "-CAfile", "root.pem", "server.pem",
        ])
        #expect(verified.status == 0, "\(verified.output)")
        let byAddress = try tool.openssl([
            "verify", "-attime", "1780000000", "-verify_ip", "127.0.0.1", "-CAfile", "root.pem", "server.pem",
        ])
        #expect(byAddress.status == 0, "\(byAddress.output)")
        let text = try tool.openssl(["x509", "-in", "server.pem", "-noout", "-text"])
        #expect(text.output.contains("DNS:overlay.example.org, DNS:ca.overlay.example.org, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"),
                "\(text.output)")
    }

    @Test func opensslPEMRequest() throws {
        guard OpenSSLScratch.hasOpenSSL else {
            print("skipped: openssl not installed")
            return
        }
        let tool = try OpenSSLScratch()
        let made = try tool.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
            "-subj", "/CN=alice/emailAddress=alice@overlay.example.org", "-out", "req.pem",
        ])
        try #require(made.status == 0, "\(made.output)")
        let request = try CertificateSigningRequest.parse(tool.read("req.pem"))
        #expect(request.requestedNames == ["alice", "alice@overlay.example.org"])
    }
}
