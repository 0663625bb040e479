import Chord
import Crypto
import Reload
import Signing
import Testing
@testable import Storage
import Wire

/// The certificate table (RFC 6940 §6.3.4: "a peer storing data is obligated to retain
/// certificates for the data that it holds"; §8 the certificate store usage): the signers'
/// certificates and CERTIFICATE_BY_NODE/USER values, counted by the records that use them.
@Suite struct CertificateTableTests {
    let fixture = StorageFixture.shared

    func entry(_ key: String, _ text: String) -> StoredDataValue {
        .array(ArrayEntry(index: UInt32(key)!, value: DataValue(value: Array(text.utf8))))
    }

    @Test(arguments: BackendKind.allCases) func signersCertificateIsKeptWhileItsValuesAre(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let alice = fixture.alice, bob = fixture.bob
        #expect(try store.certificate(for: alice.signerIdentity) == nil)
        let values = try (0..<2).map { try fixture.signed(alice, alice.userResource, TestKinds.small, entry("\($0)", "v\($0)"), lifetime: 10) }
        try store.store(alice.userResource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: values)], by: alice)
        #expect(try store.certificate(for: alice.signerIdentity) == alice.der)
        #expect(try store.certificate(for: bob.signerIdentity) == nil)
        #expect(try store.certificateRows() == 1)
        // Replacing one value keeps the count right; the row lives while any value refers to it.
        let newer = try fixture.signed(alice, alice.userResource, TestKinds.small, entry("0", "v0'"), storageTime: fixture.storageTime + 1, lifetime: 100)
        try store.store(alice.userResource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: [newer])], by: alice)
        #expect(try store.purgeExpired(now: fixture.now.adding(milliseconds: 20_000), limit: 10) == 1)
        #expect(try store.certificate(for: alice.signerIdentity) == alice.der)
        #expect(try store.purgeExpired(now: fixture.now.adding(milliseconds: 200_000), limit: 10) == 1)
        #expect(try store.certificate(for: alice.signerIdentity) == nil)
        #expect(try store.certificateRows() == 0)
    }

    /// §8: a CERTIFICATE_BY_NODE value is a certificate others' values can be checked with; it
    /// is found by the cert_hash a value signed with it carries.
    @Test(arguments: BackendKind.allCases) func certificateValuesAreFoundByTheirHash(backend: BackendKind) throws {
        let store = try TestStore(backend)
        let bob = fixture.bob
        let value = try fixture.signed(bob, bob.nodeResource, .certificateByNode, .array(ArrayEntry(index: 0, value: DataValue(value: bob.der))))
        try store.store(bob.nodeResource, [StoreKindData(kind: .certificateByNode, generationCounter: 0, values: [value])], by: bob)
        #expect(try store.certificate(for: .certHash(certificateDER: bob.der)) == bob.der)
        // Signer and value are the same certificate: one row.
        #expect(try store.certificateRows() == 1)
        #expect(try store.removeRecords(after: RingId(0), through: RingId(0), limit: 10) == 1)
        #expect(try store.certificateRows() == 0)
    }

    @Test func recordsOfTheFirstFormatAreStillRead() throws {
        let old: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 9, 2, 0x61, 0x62, 0xAA, 0xBB]
        let record = try StoredRecord(bytes: old)
        #expect(record.expires == WallTime(millisecondsSince1970: 9) && record.owner == Array("ab".utf8) && record.certificateKeys.isEmpty)
        #expect(record.storedData == [0xAA, 0xBB])
        let current = StoredRecord(expires: WallTime(millisecondsSince1970: 9), owner: [0x61], certificateKeys: [[1, 4, 7]], storedData: [1])
        #expect(try StoredRecord(bytes: current.bytes) == current)
        #expect(throws: StorageError.self) { try StoredRecord(bytes: [3] + old.dropFirst()) }
    }

    /// A hand-off group stays under its byte budget, so its StoreReq fits a message; a group
    /// split in halves keeps every value once.
    @Test(arguments: BackendKind.allCases) func handoffGroupsAreBoundedInBytes(backend: BackendKind) throws {
        let store = try TestStore(backend, kinds: {
            var kinds = TestKinds.table
            _ = kinds.add(StorageKind(id: TestKinds.small, model: .array, policy: .userMatch, maxCount: 20, maxSize: 64))
            return kinds
        }())
        let alice = fixture.alice
        let values = try (0..<12).map { try fixture.signed(alice, alice.userResource, TestKinds.small, entry("\($0)", String(repeating: "x", count: 60))) }
        try store.store(alice.userResource, [StoreKindData(kind: TestKinds.small, generationCounter: 0, values: values)], by: alice)
        let size = try #require(values.first.map { try $0.encoded().count })
        let batch = try store.handoff(after: RingId(0), through: RingId(0), cursor: nil, maximumValues: 100, maximumGroupBytes: 5 * size)
        #expect(batch.groups.map { $0.valueCount } == [5, 5, 2])
        let whole = try store.handoff(after: RingId(0), through: RingId(0), cursor: nil, maximumValues: 100)
        let (first, second) = try #require(whole.groups.first?.halves())
        #expect(first.valueCount == 6 && second.valueCount == 6)
        let indices = (first.kindData + second.kindData).flatMap { $0.values.values ?? [] }.compactMap { value -> UInt32? in
            if case .array(let entry) = value.value { return entry.index } else { return nil }
        }
        #expect(indices == Array(0..<12))
    }
}
