import Foundation
import Crypto
import Link
import Wire

/// Certificates for the Link tests, made once per test run with the `openssl` command line
/// (a tool nobody here wrote) in a temporary directory:
/// - `root`: the overlay's root CA; `alice`, `bob`: peers it signed (valid 30 days);
/// - `carol`: signed by `root` but expired (2020-2021);
/// - `mallory`: signed by another CA (`otherRoot`);
/// - `trent`: signed by `root`, then revoked: on `revocationListDER` (root's CRL, DER);
/// - `dave`, `erin`: self-signed, for the deferred-trust (self-signed overlay) mode.
struct TestPKI: Sendable {
    struct Identity: Sendable {
        let certificatePEM: [UInt8]
        let keyPEM: [UInt8]

        func certificate() throws -> Certificate { try Certificate.parse(certificatePEM) }
        func key() throws -> PrivateKey { try PrivateKey(encoded: keyPEM) }
        var der: [UInt8] { get throws { try certificate().der } }
    }

    let root: Identity
    let otherRoot: Identity
    let alice, bob, carol, mallory, dave, erin, trent: Identity
    let revocationListDER: [UInt8]

    static let shared: Result<TestPKI, ToolFailure> = Result { () throws(ToolFailure) in try make() }

    static func load() throws -> TestPKI { try shared.get() }

    struct ToolFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static let hasOpenSSL = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    static func make() throws(ToolFailure) -> TestPKI {
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("p2psip-link-pki-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Everything is read into memory; the keys do not outlive the run on disk.
            defer { try? FileManager.default.removeItem(at: directory) }
            try makeRoot("root", directory)
            try makeRoot("otherroot", directory)
            try makePeer("alice", ca: "root", days: "-days 30", directory)
            try makePeer("bob", ca: "root", days: "-days 30", directory)
            try makePeer("carol", ca: "root", days: "-startdate 20200101000000Z -enddate 20210101000000Z", directory)
            try makePeer("mallory", ca: "otherroot", days: "-days 30", directory)
            try makePeer("trent", ca: "root", days: "-days 30", directory)
            try run("openssl ca -config root.cnf -cert root.pem -keyfile root.key -revoke trent.pem", directory)
            try run("openssl ca -gencrl -config root.cnf -cert root.pem -keyfile root.key -crldays 30 -out root.crl", directory)
            try run("openssl crl -in root.crl -outform DER -out root.crl.der", directory)
            for name in ["dave", "erin"] {
                try run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout \(name).key -out \(name).pem -days 30 -subj /CN=\(name)", directory)
            }
            func identity(_ name: String) throws -> Identity {
                Identity(certificatePEM: Array(try Data(contentsOf: directory.appendingPathComponent("\(name).pem"))),
                         keyPEM: Array(try Data(contentsOf: directory.appendingPathComponent("\(name).key"))))
            }
            return TestPKI(root: try identity("root"), otherRoot: try identity("otherroot"), alice: try identity("alice"),
                           bob: try identity("bob"), carol: try identity("carol"), mallory: try identity("mallory"),
                           dave: try identity("dave"), erin: try identity("erin"), trent: try identity("trent"),
                           revocationListDER: Array(try Data(contentsOf: directory.appendingPathComponent("root.crl.der"))))
        } catch let failure as ToolFailure {
            throw failure
        } catch {
            throw ToolFailure(message: "\(error)")
        }
    }

    static func makeRoot(_ name: String, _ directory: URL) throws {
        try run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout \(name).key -out \(name).pem -days 60 -subj /CN=\(name) -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign", directory)
        let database = directory.appendingPathComponent("\(name).db")
        try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
        try Data().write(to: database.appendingPathComponent("index.txt"))
        try Data("1000\n".utf8).write(to: database.appendingPathComponent("serial"))
        let config = """
            [ca]
            default_ca = test
            [test]
            database = \(name).db/index.txt
            serial = \(name).db/serial
            new_certs_dir = \(name).db
            default_md = sha256
            policy = any
            unique_subject = no
            copy_extensions = none
            x509_extensions = peer
            [any]
            commonName = supplied
            [peer]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("\(name).cnf"))
    }

    static func makePeer(_ name: String, ca: String, days: String, _ directory: URL) throws {
        try run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout \(name).key -out \(name).csr -subj /CN=\(name)", directory)
        try run("openssl ca -batch -notext -config \(ca).cnf -cert \(ca).pem -keyfile \(ca).key -in \(name).csr -out \(name).pem \(days)", directory)
    }

    static func run(_ command: String, _ directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command.split(separator: " ").map(String.init)
        process.currentDirectoryURL = directory
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let errorText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw ToolFailure(message: "\(command): \(errorText)") }
    }
}

/// Configurations made from the test identities.
enum TestConfigurations {
    static func make(
        _ identity: TestPKI.Identity, role: SecureSessionConfiguration.Role, transport: SecureSessionConfiguration.Transport = .datagram,
        anchors: [TestPKI.Identity]? = nil, crl: [UInt8]? = nil, timeouts: HandshakeTimeouts = .rfc6347, keyLog: Bool = false,
        mtu: UInt16 = LinkLimits.defaultDatagramMTU
    ) throws -> SecureSessionConfiguration {
        let pki = try TestPKI.load()
        let trust: SecureSessionConfiguration.Trust
        if let anchors {
            trust = .anchors(try anchors.map { try $0.certificate() }, revocationListDER: crl)
        } else if identity.certificatePEM == pki.dave.certificatePEM || identity.certificatePEM == pki.erin.certificatePEM {
            trust = .deferredToOwner
        } else {
            trust = .anchors([try pki.root.certificate()], revocationListDER: crl)
        }
        return try SecureSessionConfiguration(
            role: role, transport: transport, certificateChain: [try identity.certificate()], privateKey: try identity.key(),
            trust: trust, random: try RandomGenerator(source: .operatingSystem), timeouts: timeouts, datagramMTU: mtu, keyLog: keyLog)
    }
}
