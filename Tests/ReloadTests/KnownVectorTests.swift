import Crypto
import Foundation
import Reload
import Signing
import Testing
import Wire
import TestSupport

/// Fixed, committed vectors (Vectors/README.md says how they were made):
/// - ecdsa-store-request.hex: the StoreReq sample, signed by alice (ECDSA P-256, SHA-256;
///   mbedTLS signs deterministically, RFC 6979, so the bytes are reproducible);
/// - rsa-ping-request.hex: a PingReq whose signature bob's RSA key made with
///   `openssl dgst -sha256 -sign` over our signature input (RSASSA-PKCS1-v1_5 is deterministic).
@Suite struct KnownVectorTests {
    static func vector(_ name: String) throws -> [UInt8] {
        let text = String(decoding: Identities.file(name), as: UTF8.self)
        guard let bytes = Hex.decode(text) else { throw VectorError.notHex(name) }
        return bytes
    }

    enum VectorError: Error { case notHex(String) }

    static func storeRequestMessage() throws -> Message {
        return try Samples.message(.storeRequest(try Samples.storeRequest()), 0x5354_4F52_4531_0001)
    }

    static func rsaPingTemplate() -> Message {
        return Message(
            header: Samples.header(0x5253_4150_494E_4701),
            contents: MessageContents(body: .pingRequest(PingReq(padding: Array("rsa".utf8)))),
            securityBlock: SecurityBlock(
                certificates: [GenericCertificate(certificate: Identities.bobCertificate)],
                signature: Signature(
                    algorithm: .rsaSHA256, identity: .certHash(certificateDER: Identities.bobCertificate), value: [])))
    }

    @Test func ecdsaStoreRequestVector() throws {
        let committed = try KnownVectorTests.vector("ecdsa-store-request.hex")
        let rebuilt = try KnownVectorTests.storeRequestMessage().encode()
        #expect(rebuilt == committed)
        let message = try Message.decode(committed, Samples.configuration)
        try message.verifySignature(publicKey: try Identities.alicePublicKey())
        guard case .storeRequest(let request) = message.contents.body else { Issue.record("not a StoreReq"); return }
        for data in request.kindData {
            for value in data.values.values ?? [] {
                try value.verifySignature(resource: request.resource, kind: data.kind, publicKey: try Identities.alicePublicKey())
            }
        }
    }

    @Test func rsaPingRequestVector() throws {
        let committed = try KnownVectorTests.vector("rsa-ping-request.hex")
        let message = try Message.decode(committed, Samples.configuration)
        var template = KnownVectorTests.rsaPingTemplate()
        template.securityBlock.signature.value = message.securityBlock.signature.value
        #expect(try template.encode() == committed)
        try message.verifySignature(publicKey: try Identities.bobPublicKey())
        var tampered = committed
        tampered[Layout(committed).contentsStart + 8] ^= 1
        #expect(throws: ReloadError.invalidSignature) {
            try Message.decode(tampered, Samples.configuration).verifySignature(publicKey: try Identities.bobPublicKey())
        }
    }

    /// Independent check with OpenSSL: it accepts our ECDSA signature over our signature input.
    @Test func openSSLVerifiesOurSignature() throws {
        guard let openssl = Subprocess.find("openssl") else {
            print("skipped: openssl is not on PATH")
            return
        }
        let message = try KnownVectorTests.storeRequestMessage()
        let directory = try TemporaryDirectory("reload-openssl")
        defer { directory.remove() }
        let input = directory.file("input.bin")
        let signature = directory.file("signature.der")
        let certificate = Identities.vectors.appendingPathComponent("alice-p256.cert.pem")
        let publicKey = directory.file("alice.pub.pem")
        try Data(try message.signatureInput(identity: Identities.aliceIdentity)).write(to: input)
        try Data(message.securityBlock.signature.value).write(to: signature)
        let extract = try Subprocess.run(openssl, ["x509", "-in", certificate.path, "-pubkey", "-noout", "-out", publicKey.path])
        #expect(extract.status == 0)
        let verify = try Subprocess.run(
            openssl, ["dgst", "-sha256", "-verify", publicKey.path, "-signature", signature.path, input.path])
        #expect(verify.status == 0, "\(verify.output) \(verify.error)")
    }

    /// Writes the vectors; run once with RELOAD_WRITE_VECTORS=1 (see Vectors/README.md).
    @Test func writeVectors() throws {
        guard ProcessInfo.processInfo.environment["RELOAD_WRITE_VECTORS"] == "1" else { return }
        let ecdsa = try KnownVectorTests.storeRequestMessage().encode()
        try (Hex.encode(ecdsa) + "\n").write(to: Identities.vectors.appendingPathComponent("ecdsa-store-request.hex"), atomically: true, encoding: .utf8)
        let template = KnownVectorTests.rsaPingTemplate()
        let input = try template.signatureInput(identity: template.securityBlock.signature.identity)
        let inputFile = Identities.vectors.appendingPathComponent("rsa-ping-request.signed-input.bin")
        try Data(input).write(to: inputFile)
        guard let openssl = Subprocess.find("openssl") else { Issue.record("openssl is needed to write the RSA vector"); return }
        let key = Identities.vectors.appendingPathComponent("bob-rsa2048.key.pem").path
        let sign = try Subprocess.run(openssl, ["dgst", "-sha256", "-sign", key, "-hex", "-r", inputFile.path])
        let hex = String(sign.output.split(separator: " ").first ?? "")
        var signed = template
        signed.securityBlock.signature.value = Hex.decode(hex) ?? []
        #expect(signed.securityBlock.signature.value.count == 256)
        try (Hex.encode(try signed.encode()) + "\n").write(to: Identities.vectors.appendingPathComponent("rsa-ping-request.hex"), atomically: true, encoding: .utf8)
    }
}
