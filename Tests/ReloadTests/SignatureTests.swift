import Crypto
import Foundation
import Reload
import Signing
import Testing
import Wire

@Suite struct SignatureTests {
    /// §6.3.4: every sample message is signed by alice and verifies with the key of the
    /// certificate its SignerIdentity names in the security block.
    @Test func everySampleMessageVerifies() throws {
        for (name, message) in try Samples.all() {
            let identity = message.securityBlock.signature.identity
            let certificate = message.securityBlock.certificate(for: identity) ?? Identities.aliceCertificate
            #expect(certificate == Identities.aliceCertificate, "\(name)")
            try message.verifySignature(publicKey: try Certificate(der: certificate).publicKey())
        }
    }

    @Test func wrongKeysAndAlgorithms() throws {
        let message = try Samples.message(.pingRequest(PingReq()), 1)
        let other = try PrivateKey.generateP256(using: try Identities.random()).publicKey()
        #expect(throws: ReloadError.invalidSignature) { try message.verifySignature(publicKey: other) }
        #expect(throws: ReloadError.unsupportedSignatureAlgorithm(hash: 4, signature: 3)) {
            try message.verifySignature(publicKey: try Identities.bobPublicKey())
        }
        var sha1 = message
        sha1.securityBlock.signature.algorithm = SignatureAndHashAlgorithm(hash: .sha1, signature: .ecdsa)
        #expect(throws: ReloadError.unsupportedSignatureAlgorithm(hash: 2, signature: 3)) {
            try sha1.verifySignature(publicKey: try Identities.alicePublicKey())
        }
    }

    /// §6.3.4: cert_hash = H(certificate); cert_hash_node_id = H(NodeId ‖ certificate).
    @Test func signerIdentities() throws {
        let certificate = Identities.aliceCertificate
        let identity = SignerIdentity.certHash(certificateDER: certificate)
        #expect(identity == .certHash(hashAlgorithm: .sha256, certificateHash: SHA256.hash(certificate)))
        #expect(identity.matches(certificateDER: certificate))
        #expect(!identity.matches(certificateDER: Identities.bobCertificate))
        let byNode = SignerIdentity.certHashNodeId(nodeId: Identities.aliceNodeId, certificateDER: certificate)
        #expect(byNode.matches(certificateDER: certificate, nodeId: Identities.aliceNodeId))
        #expect(!byNode.matches(certificateDER: certificate, nodeId: Identities.bobNodeId))
        #expect(!byNode.matches(certificateDER: certificate))
        let sha1 = SignerIdentity.certHash(hashAlgorithm: .sha1, certificateHash: SHA1.hash(certificate))
        #expect(sha1.matches(certificateDER: certificate))
        #expect(try identity.encoded().prefix(5) == [1, 0, 34, 4, 32])
        #expect(try SignerIdentity.none.encoded() == [3, 0, 0])
    }

    /// Every single bit flipped in the signed region (overlay, transaction_id, MessageContents,
    /// SignerIdentity) makes verification fail; bits outside it (e.g. the TTL, which every hop
    /// decrements) do not.
    @Test func everyFlippedBitInTheSignedRegionFails() throws {
        let message = try Samples.message(.attachRequest(Samples.noIceAttach(role: "passive")), 0x42)
        let bytes = try message.encode()
        let key = try Identities.alicePublicKey()
        let layout = Layout(bytes)
        let certificates = Int(readUInt16(bytes, at: layout.securityStart))
        let identityStart = layout.securityStart + 2 + certificates + 2
        let identityEnd = identityStart + 3 + Int(readUInt16(bytes, at: identityStart + 1))
        let signed = Array(4..<8) + Array(20..<28) + Array(layout.contentsStart..<layout.securityStart)
            + Array(identityStart..<identityEnd)
        var checked = 0
        for index in signed {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= UInt8(1 << bit)
                guard let decoded = try? Message.decode(flipped, Samples.configuration) else { continue }
                #expect(throws: ReloadError.self, "byte \(index) bit \(bit)") { try decoded.verifySignature(publicKey: key) }
                checked += 1
            }
        }
        #expect(checked > 8 * signed.count / 2)
        var ttl = bytes
        ttl[11] ^= 0x01
        try Message.decode(ttl, Samples.configuration).verifySignature(publicKey: key)
    }

    /// §7.1: a stored value's signature covers resource, kind, storage_time, the value and the
    /// signer identity (not the lifetime, which replicas lower, §7.4.1.1).
    @Test func storedDataSignature() throws {
        let key = try Identities.alicePublicKey()
        let value = try Samples.sipRoute()
        try value.verifySignature(resource: Samples.resource, kind: .sipRegistration, publicKey: key)
        #expect(throws: ReloadError.invalidSignature) {
            try value.verifySignature(resource: ResourceId(bytes: [1])!, kind: .sipRegistration, publicKey: key)
        }
        #expect(throws: ReloadError.invalidSignature) {
            try value.verifySignature(resource: Samples.resource, kind: .certificateByNode, publicKey: key)
        }
        let bytes = try value.encoded()
        let lifetimeRange = 12..<16
        let signatureStart = bytes.count - 2 - value.signature.value.count - 4
        var failures = 0
        for index in 4..<signatureStart where !lifetimeRange.contains(index) {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= UInt8(1 << bit)
                guard let decoded = try? StoredData.decode(model: .dictionary, bytes: flipped) else { continue }
                #expect(throws: ReloadError.self, "byte \(index) bit \(bit)") {
                    try decoded.verifySignature(resource: Samples.resource, kind: .sipRegistration, publicKey: key)
                }
                failures += 1
            }
        }
        #expect(failures > 0)
        var lifetime = value
        lifetime.lifetime = 1
        try lifetime.verifySignature(resource: Samples.resource, kind: .sipRegistration, publicKey: key)
    }

    /// §7.4.2.2: the index of an array entry is zeroed before signing, so an appended value
    /// (index 0xffffffff) still verifies at the index the storing peer gives it.
    @Test func arrayIndexIsZeroedBeforeSigning() throws {
        let key = try Identities.alicePublicKey()
        var value = try Samples.certificateValue()
        guard case .array(var entry) = value.value else { Issue.record("not an array entry"); return }
        #expect(entry.index == ArrayEntry.appendIndex)
        try value.verifySignature(resource: Samples.resource, kind: .certificateByNode, publicKey: key)
        entry.index = 7
        value.value = .array(entry)
        try value.verifySignature(resource: Samples.resource, kind: .certificateByNode, publicKey: key)
        let zero = try StoredData.signatureInput(
            resource: Samples.resource, kind: .certificateByNode, storageTime: 1, value: .array(ArrayEntry(index: 0, value: entry.value)),
            identity: .none)
        let seven = try StoredData.signatureInput(
            resource: Samples.resource, kind: .certificateByNode, storageTime: 1, value: .array(entry), identity: .none)
        #expect(zero == seven)
        // resource_id ‖ kind ‖ storage_time ‖ value ‖ identity, byte for byte.
        #expect(Array(zero[0..<17]) == Samples.resource.bytes)
        #expect(Array(zero[17..<21]) == [0, 0, 0, 3])
        #expect(Array(zero[21..<29]) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(Array(zero[29..<33]) == [0, 0, 0, 0])
        #expect(Array(zero.suffix(3)) == [3, 0, 0])
    }

    /// §6.3.4: the signed bytes are overlay ‖ transaction_id ‖ MessageContents ‖ SignerIdentity.
    @Test func messageSignatureInputLayout() throws {
        let message = try Samples.message(.pingAnswer(PingAns(responseId: 9, time: 10)), 0x0A0B_0C0D_0E0F_1011)
        let input = try message.signatureInput(identity: Identities.aliceIdentity)
        var expected: [UInt8] = []
        expected += [UInt8(Samples.overlay >> 24), UInt8((Samples.overlay >> 16) & 0xFF), UInt8((Samples.overlay >> 8) & 0xFF), UInt8(Samples.overlay & 0xFF)]
        expected += [0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11]
        expected += try message.contents.encoded()
        expected += try Identities.aliceIdentity.encoded()
        #expect(input == expected)
    }
}
