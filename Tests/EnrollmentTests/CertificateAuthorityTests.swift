import Config
import Crypto
import Enrollment
import HTTP
import Testing
import Wire

/// The CA logic of `p2psip ca init|serve|user|revoke` (Enrollment), over a store in memory.
@Suite struct CertificateAuthorityTests {
    static let now = EnrollmentFixture.now()

    static func parameters() -> CAInitParameters {
        var parameters = CAInitParameters(overlay: EnrollmentFixture.overlay, enrollmentURL: "https://overlay.example.org/enroll")
        parameters.serverAddresses = [[192, 0, 2, 1]]
        parameters.bootstrap = [BootstrapNode(address: "192.0.2.1", port: 6084)]
        return parameters
    }

    static func random(_ seed: UInt8 = 3) throws -> RandomGenerator {
        return try RandomGenerator(source: .fixed([UInt8](repeating: seed, count: 96)))
    }

    /// A new CA in memory, with alice (password "alice-pw") added.
    static func authority() throws -> (MemoryCAStore, CAInitAuthority) {
        let store = MemoryCAStore()
        let authority = try CAInitAuthority.create(in: store, parameters(), now: now, random: try random())
        _ = try CAUsers.add(CAFiles(store: store), name: "alice", password: Array("alice-pw".utf8), maxNodeIds: nil,
                            iterations: 1000, random: try random(4))
        return (store, authority)
    }

    @Test func initWritesEveryFileAndTheyLoad() throws {
        let store = MemoryCAStore()
        var parameters = CertificateAuthorityTests.parameters()
        parameters.validityDays = 7300
        let authority = try CAInitAuthority.create(in: store, parameters, now: CertificateAuthorityTests.now, random: try CertificateAuthorityTests.random())
        #expect(store.files.count == 10)
        for name in [CAFileNames.rootKey, CAFileNames.serverKey, CAFileNames.signerKey, CAFileNames.accounts, CAFileNames.ledger] {
            #expect(store.modes[name] == 0o600, "\(name)")
        }
        #expect(store.modes[CAFileNames.rootCertificate] == 0o644 && store.modes[CAFileNames.revocationList] == 0o644)
        let files = CAFiles(store: store)
        #expect(try files.issuer().certificate.der == authority.root.certificate.der)
        #expect(try files.key(CAFileNames.serverKey).publicKeyDER() == authority.serverCertificate.publicKeyDER())
        let (_, configuration) = try files.configuration()
        #expect(configuration.instanceName == EnrollmentFixture.overlay)
        #expect(configuration.rootCertificates == [authority.root.certificate.der])
        #expect(configuration.requiredKinds == CAInitAuthority.requiredKinds)
        #expect(configuration.bootstrapNodes == [BootstrapNode(address: "192.0.2.1", port: 6084)])
        #expect(configuration.configurationSigners == [authority.signerNodeId])
        // The signer is in the ledger like any issued certificate; nobody has an account yet.
        #expect(try files.ledger().isSerialIssued(authority.signerSerial))
        #expect(try files.accounts().accounts.isEmpty)
        let crl = try RevocationList(der: try files.revocationList())
        try crl.verifySignature(issuer: authority.root.certificate)
        #expect(crl.revokedCertificates.isEmpty)
        // 20 years from 2026 pass 2038: the certificates end at the last second of 2037.
        #expect(authority.root.certificate.notAfter.unixSeconds == CAValidity.certificateTime(WallTime(millisecondsSince1970: UInt64.max)).unixSeconds)
        #expect(authority.signerCertificate.notAfter.unixSeconds == CAValidity.latestNotAfter.unixSeconds)
    }

    @Test func filesNameTheirProblems() throws {
        let (store, _) = try CertificateAuthorityTests.authority()
        let files = CAFiles(store: store)
        store.files[CAFileNames.accounts] = Array("policy max-node-ids-per-user=0\n".utf8)
        #expect(throws: CAError.self) { try files.accounts() }
        do {
            _ = try files.accounts()
        } catch {
            #expect(error.message.hasPrefix("mem/accounts:1: "), "\(error.message)")
        }
        store.files[CAFileNames.rootCertificate] = Array("not a certificate".utf8)
        #expect(throws: CAError.self) { try files.issuer() }
        store.files[CAFileNames.ledger] = nil
        #expect(throws: CAError("mem/ledger: no such file")) { try files.ledger() }
    }

    static func enrollment(_ user: String, _ password: String, seed: UInt8 = 9) throws -> HTTPParseResult {
        let key = try PrivateKey.generateP256(using: try random(seed))
        let csr = try CertificateSigningRequest.create(subject: "CN=\(user)", key: key, using: try random(seed))
        return HTTPRequestParser.parse(EnrollmentServiceTests.form([
            ("username", nil, Array(user.utf8)), ("password", nil, Array(password.utf8)), ("csr", "application/pkcs10", csr),
        ]))
    }

    @Test func theLedgerLineIsWrittenBeforeTheCertificateLeaves() throws {
        let (store, _) = try CertificateAuthorityTests.authority()
        let server = try EnrollmentServer.load(store, random: try CertificateAuthorityTests.random(5))
        #expect(server.overlayName == EnrollmentFixture.overlay)
        let ledgerBefore = store.files[CAFileNames.ledger] ?? []
        store.failAppends = true
        let refused = server.answer(try CertificateAuthorityTests.enrollment("alice", "alice-pw"), source: [1, 2, 3, 4], now: CertificateAuthorityTests.now)
        #expect(refused.response.status.code == 500)
        #expect(refused.log == "ledger: mem/ledger: no space left on device; certificate withheld")
        #expect(refused.note.hasPrefix("user=alice"))
        #expect(store.files[CAFileNames.ledger] == ledgerBefore)
        store.failAppends = false
        // A new key: the authority remembers the withheld one (EnrollmentAuthority's ledger).
        let issued = server.answer(try CertificateAuthorityTests.enrollment("alice", "alice-pw", seed: 10), source: [1, 2, 3, 4], now: CertificateAuthorityTests.now)
        #expect(issued.response.status == .ok && issued.log == nil)
        #expect(issued.note.hasPrefix("issued serial="))
        #expect(try CAFiles(store: store).ledger().serials(user: "alice").count == 1)
        let wrong = server.answer(try CertificateAuthorityTests.enrollment("alice", "nope"), source: [1, 2, 3, 4], now: CertificateAuthorityTests.now)
        #expect(wrong.response.status.code == 403 && wrong.note.contains("refused: "))
    }

    @Test func reloadsKeepWhatIsServedUnlessTheNewFileIsGood() throws {
        let (store, authority) = try CertificateAuthorityTests.authority()
        let server = try EnrollmentServer.load(store, random: try CertificateAuthorityTests.random(5))
        _ = try CAUsers.add(CAFiles(store: store), name: "bob", password: Array("bob-pw".utf8), maxNodeIds: 1, iterations: 1000,
                            random: try CertificateAuthorityTests.random(6))
        #expect(server.reloadAccounts() == "reloaded mem/accounts: 2 users")
        store.files[CAFileNames.accounts] = Array("garbage line\n".utf8)
        #expect(server.reloadAccounts().hasPrefix("keeping the previous accounts: mem/accounts:1: "))
        // A newer CRL signed by the root replaces the served one; an unsigned or older one does not.
        let served = server.service.revocationList
        _ = try CARevocation.update(CAFiles(store: store), revoking: nil, now: CertificateAuthorityTests.now.adding(seconds: 60), days: 30,
                                    random: try CertificateAuthorityTests.random(7))
        #expect(server.reloadRevocationList() == "reloaded mem/crl.der: 0 revoked")
        #expect(server.service.revocationList != served)
        store.files[CAFileNames.revocationList] = served
        #expect(server.reloadRevocationList() == "keeping the previous revocation list: mem/crl.der: malformed input: older than the one served")
        let other = try CertificateIssuer.createRoot(
            key: PrivateKey.generateP256(using: try CertificateAuthorityTests.random(8)), commonName: "other", serial: [2],
            notBefore: CivilTime(year: 2026, month: 1, day: 1), notAfter: CivilTime(year: 2030, month: 1, day: 1),
            using: try CertificateAuthorityTests.random(8))
        store.files[CAFileNames.revocationList] = try RevocationList.create(
            issuer: other, revoked: [], number: 9, thisUpdate: CertificateAuthorityTests.now.adding(seconds: 120).civilTime,
            nextUpdate: CertificateAuthorityTests.now.adding(seconds: 86_400).civilTime, using: try CertificateAuthorityTests.random(8))
        #expect(server.reloadRevocationList().hasPrefix("keeping the previous revocation list: mem/crl.der: "))
        #expect(authority.root.certificate.der != other.certificate.der)
    }

    @Test func revocationRecordsThenSigns() throws {
        let (store, authority) = try CertificateAuthorityTests.authority()
        let files = CAFiles(store: store)
        let random = try CertificateAuthorityTests.random(7)
        let now = CertificateAuthorityTests.now
        #expect(throws: CAError("user carol holds no certificate")) {
            try CARevocation.update(files, revoking: .user("carol"), now: now, days: 30, random: random)
        }
        #expect(throws: CAError("serial 0102 was not issued by this server")) {
            try CARevocation.update(files, revoking: .serial([1, 2]), now: now, days: 30, random: random)
        }
        #expect(throws: CAError("no certificate holds Node-ID " + String(repeating: "ab", count: 16))) {
            try CARevocation.update(files, revoking: .nodeId([UInt8](repeating: 0xAB, count: 16)), now: now, days: 30, random: random)
        }
        let outcome = try CARevocation.update(files, revoking: .nodeId(authority.signerNodeId), now: now, days: 30, random: random)
        #expect(outcome.revokedSerials == [authority.signerSerial] && outcome.revokedCount == 1)
        let ledger = try files.ledger()
        #expect(ledger.isRevoked(authority.signerSerial))
        let crl = try RevocationList(der: try files.revocationList())
        try crl.verifySignature(issuer: authority.root.certificate)
        #expect(crl.revokedCertificates.count == 1)
        #expect(throws: CAError("nothing to revoke: already revoked")) {
            try CARevocation.update(files, revoking: .serial(authority.signerSerial), now: now, days: 30, random: random)
        }
        let resigned = try CARevocation.update(files, revoking: nil, now: now.adding(seconds: 10), days: 30, random: random)
        #expect(resigned.crlNumber == outcome.crlNumber + 1 && resigned.revokedSerials.isEmpty && resigned.revokedCount == 1)
    }

    @Test func usersAreAddedOnceAndSummarized() throws {
        let (store, authority) = try CertificateAuthorityTests.authority()
        let files = CAFiles(store: store)
        let random = try CertificateAuthorityTests.random(6)
        #expect(throws: CAError.self) {
            try CAUsers.add(files, name: "alice", password: [1], maxNodeIds: nil, iterations: 1000, random: random)
        }
        #expect(throws: CAError.self) {
            try CAUsers.add(files, name: "-bad", password: [1], maxNodeIds: nil, iterations: 1000, random: random)
        }
        #expect(try CAUsers.add(files, name: "bob", password: [1], maxNodeIds: 3, iterations: 1000, random: random) == 3)
        #expect(store.modes[CAFileNames.accounts] == 0o600)
        let accounts = try files.accounts()
        #expect(accounts.account(named: "bob")?.passwordHash.matches(password: [1]) == true)
        let rows = CAUsers.summaries(accounts, ledger: try files.ledger())
        #expect(rows.map { $0.name } == ["alice", "bob"])
        #expect(rows[0].maxNodeIds == accounts.policy.maxNodeIdsPerUser && rows[1].maxNodeIds == 3)
        #expect(rows.allSatisfy { $0.certificates == 0 && $0.revoked == 0 && $0.nodeIds == 0 })
        #expect(authority.signerSerial.count == 16)
    }
}
