import Foundation
import Crypto
import Link
import Wire

/// Certificates for DTLS and TLS sessions in memory (the Link tests, link-bench), made once
/// per run with the `openssl` command line (a tool nobody here wrote) in a temporary
/// directory:
/// - `root`: the overlay's root CA; `alice`, `bob`: peers it signed (valid 30 days);
/// - `carol`: signed by `root` but expired (2020-2021);
/// - `mallory`: signed by another CA (`otherRoot`);
/// - `trent`: signed by `root`, then revoked: on `revocationListDER` (root's CRL, DER);
/// - `dave`, `erin`: self-signed, for the deferred-trust (self-signed overlay) mode.
public struct TestPKI: Sendable {
    public struct Identity: Sendable {
        public let certificatePEM: [UInt8]
        public let keyPEM: [UInt8]

        public func certificate() throws -> Certificate { try Certificate.parse(certificatePEM) }
        public func key() throws -> PrivateKey { try PrivateKey(encoded: keyPEM) }
        public var der: [UInt8] { get throws { try certificate().der } }
    }

    public let root: Identity
    public let otherRoot: Identity
    public let alice, bob, carol, mallory, dave, erin, trent: Identity
    public let revocationListDER: [UInt8]

    static let shared: Result<TestPKI, ProcessFailure> = Result { () throws(ProcessFailure) in try make() }

    /// The identities of this run (made on first use); a failure of openssl is thrown again
    /// to every caller.
    public static func load() throws -> TestPKI { try shared.get() }

    public static let hasOpenSSL = Subprocess.find("openssl") != nil

    static func make() throws(ProcessFailure) -> TestPKI {
        do {
            // Everything is read into memory; the keys do not outlive the run on disk.
            let scratch = try TemporaryDirectory("p2psip-link-pki")
            defer { scratch.remove() }
            let directory = scratch.url
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
        } catch let failure as ProcessFailure {
            throw failure
        } catch {
            throw ProcessFailure("\(error)")
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

    /// `command`'s words through /usr/bin/env (on PATH), requiring exit status 0.
    static func run(_ command: String, _ directory: URL) throws {
        try Subprocess.require(URL(fileURLWithPath: "/usr/bin/env"), command.split(separator: " ").map(String.init), in: directory)
    }
}

/// Configurations made from the test identities.
public enum TestConfigurations {
    public static func make(
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

/// Link manager configurations from the test identities.
public enum TestManagers {
    public static func configuration(
        _ identity: TestPKI.Identity, link: OverlayLinkConfiguration = OverlayLinkConfiguration(), maximumLinks: Int = 8,
        maximumHandshakes: Int = 4, timeouts: HandshakeTimeouts = .rfc6347, mtu: UInt16 = LinkLimits.defaultDatagramMTU,
        keyLog: Bool = false
    ) throws -> LinkManagerConfiguration {
        LinkManagerConfiguration(
            client: try TestConfigurations.make(identity, role: .client, timeouts: timeouts, keyLog: keyLog, mtu: mtu),
            server: try TestConfigurations.make(identity, role: .server, timeouts: timeouts, keyLog: keyLog, mtu: mtu),
            link: link, maximumLinks: maximumLinks, maximumHandshakes: maximumHandshakes)
    }
}
