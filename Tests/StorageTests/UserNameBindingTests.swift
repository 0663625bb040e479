import Crypto
import Reload
import Testing
import Wire
@testable import Storage

/// First-come user names in self-signed overlays (RFC 6940 §11.3.1, §13.3, §8): the storing
/// peer of H(user name) binds the name to the first key whose certificate it stores under
/// CERTIFICATE_BY_USER, and refuses (Error_Forbidden, §7.4.1.1) another self-signed key
/// writing under that name, on both backends.
@Suite struct UserNameBindingTests {
    let fixture = StorageFixture.shared
    static let name = "sam@example.org"
    static let overlay = "example.org"

    /// A self-signed identity (no proof of work: the tests are about names) for `name`;
    /// `key` renews a certificate for an existing key.
    static func selfSigned(_ name: String, key existing: PrivateKey? = nil, seed: UInt8) throws -> TestUser {
        let random = try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: 96)))
        let policy = SelfSignedPolicy(digest: .sha256, workBits: 0)
        let now = StorageFixture.shared.now.secondsSince1970
        let notBefore = CertificateTime(unixSeconds: now - 86_400 - Int64(seed))
        let notAfter = CertificateTime(unixSeconds: now + 30 * 86_400)
        let key = try existing ?? PrivateKey.generateP256(using: random)
        let der = try SelfSignedIdentity.certificate(
            for: key, userName: name, overlay: overlay, nodeIdLength: 16, policy: policy, maximumAttempts: 0,
            notBefore: notBefore, notAfter: notAfter, using: random)
        let verifier = try IdentityVerifier(overlayName: overlay, nodeIdLength: 16, roots: [], selfSigned: policy)
        let identity = try verifier.verify(chain: [Certificate(der: der)], now: CertificateTime(unixSeconds: now))
        return TestUser(name: name, nodeId: identity.nodeIds[0], key: key, der: der, identity: identity)
    }

    func store(_ backend: BackendKind, knowing users: [TestUser]) throws -> TestStore {
        let store = try TestStore(backend)
        for user in users { _ = store.resolver.add(user.identity, certificateDER: user.der) }
        return store
    }

    func certificate(_ signer: TestUser, of holder: TestUser? = nil, at resource: ResourceId? = nil, time: UInt64 = 0) throws -> StoreKindData {
        let value = StoredDataValue.array(ArrayEntry(index: 0, value: DataValue(value: (holder ?? signer).der)))
        let signed = try fixture.signed(
            signer, resource ?? signer.userResource, .certificateByUser, value, storageTime: fixture.storageTime + time)
        return StoreKindData(kind: .certificateByUser, generationCounter: 0, values: [signed])
    }

    func small(_ signer: TestUser, at resource: ResourceId, _ text: String, time: UInt64 = 0) throws -> StoreKindData {
        let value = StoredDataValue.array(ArrayEntry(index: StorageLimits.appendIndex, value: DataValue(value: Array(text.utf8))))
        let signed = try fixture.signed(signer, resource, TestKinds.small, value, storageTime: fixture.storageTime + time)
        return StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [signed])
    }

    /// The first key to store its certificate under a name keeps it; the same key renews
    /// (a new certificate, a later storage_time); another key claiming the name is refused.
    @Test(arguments: BackendKind.allCases) func firstKeyKeepsTheName(backend: BackendKind) throws {
        let sam = try Self.selfSigned(Self.name, seed: 41)
        let renewed = try Self.selfSigned(Self.name, key: sam.key, seed: 42)
        let mallory = try Self.selfSigned(Self.name, seed: 43)
        #expect(renewed.der != sam.der && mallory.userResource == sam.userResource)
        let store = try store(backend, knowing: [sam, renewed, mallory])
        try store.store(sam.userResource, [try certificate(sam)], by: sam)
        #expect(store.refusal(sam.userResource, [try certificate(renewed, time: 1)], by: renewed) == nil, "the same key renews")
        let claim = store.refusal(sam.userResource, [try certificate(mallory, time: 2)], by: mallory)
        #expect(claim == .forbidden(.certificateByUser, .userNameTaken))
        #expect(claim?.errorCode == .forbidden)
        let held = try store.fetchAll(sam.userResource, .certificateByUser, model: .array).values.values ?? []
        #expect(held.map { $0.value.dataValue.value } == [renewed.der], "the claim changed nothing")
    }

    /// A self-signed signer stores only its own certificate under CERTIFICATE_BY_USER, so that
    /// a stored certificate names the user and is the key that signed the Store.
    @Test(arguments: BackendKind.allCases) func onlyTheSignersOwnCertificate(backend: BackendKind) throws {
        let sam = try Self.selfSigned(Self.name, seed: 44)
        let other = try Self.selfSigned("other@example.org", seed: 45)
        let store = try store(backend, knowing: [sam, other])
        let foreign = store.refusal(sam.userResource, [try certificate(sam, of: other)], by: sam)
        #expect(foreign == .forbidden(.certificateByUser, .certificateNotSigners))
        #expect(foreign?.errorCode == .forbidden)
        #expect(try store.fetchAll(sam.userResource, .certificateByUser, model: .array).values.values?.isEmpty == true)
    }

    /// The process-level claim: a self-signed peer that claims another's user name cannot
    /// store under it (USER-MATCH, §7.3.1), although its certificate names that user and
    /// USER-MATCH alone would let it; the name's holder can.
    @Test(arguments: BackendKind.allCases) func claimingAnothersNameStoresNothing(backend: BackendKind) throws {
        let sam = try Self.selfSigned(Self.name, seed: 46)
        let mallory = try Self.selfSigned(Self.name, seed: 47)
        let store = try store(backend, knowing: [sam, mallory])
        let resource = sam.userResource
        #expect(store.refusal(resource, [try small(mallory, at: resource, "before")], by: mallory) == nil,
                "a name nobody has published is open (first come)")
        try store.store(resource, [try certificate(sam)], by: sam)
        let refused = store.refusal(resource, [try small(mallory, at: resource, "mallory", time: 1)], by: mallory)
        #expect(refused == .forbidden(TestKinds.small, .userNameTaken))
        #expect(store.refusal(resource, [try small(sam, at: resource, "sam", time: 2)], by: sam) == nil)
        // A value signed by the holder but sent by the claimer is refused too (the request's
        // signer is held to the binding as well).
        #expect(store.refusal(resource, [try small(sam, at: resource, "relayed", time: 3)], by: mallory)
                == .forbidden(TestKinds.small, .userNameTaken))
        let held = try store.fetchAll(resource, TestKinds.small, model: .array).values.values ?? []
        #expect(held.map { String(decoding: $0.value.dataValue.value, as: UTF8.self) } == ["before", "sam"])
    }

    /// Enrolled signers are not held to it (their CA vouched for the name), and a replica
    /// Store copies what the responsible peer accepted.
    @Test(arguments: BackendKind.allCases) func enrolledSignersAndReplicasPass(backend: BackendKind) throws {
        let alice = fixture.alice
        let store = try store(backend, knowing: [])
        try store.store(alice.userResource, [try certificate(alice)], by: alice)
        #expect(store.refusal(alice.userResource, [try small(alice, at: alice.userResource, "a")], by: alice) == nil)
        let sam = try Self.selfSigned(Self.name, seed: 48)
        let mallory = try Self.selfSigned(Self.name, seed: 49)
        let replicas = try self.store(backend, knowing: [sam, mallory])
        try replicas.store(sam.userResource, [try certificate(sam)], by: sam)
        var copy = try small(mallory, at: sam.userResource, "copy", time: 1)
        copy.generationCounter = 1
        #expect(replicas.refusal(sam.userResource, [copy], by: mallory, replica: 1) == nil)
    }
}
