import Config
import Crypto
import Enrollment
import Platform
import Wire

/// The files of an enrollment server (`p2psip ca init` writes them, the other `ca` commands
/// read them). Keys are mode 0600, the directory 0700.
///
///     root-key.pem root-cert.pem        the overlay's root (RFC 6940 §11.1 root-cert)
///     server-key.pem server-cert.pem    the HTTPS server's TLS identity (§11.3)
///     signer-key.pem signer-cert.pem    the configuration and kind signer (§11.1)
///     reload-config.xml                 the signed overlay configuration document
///     accounts                          admission policy and users (AccountsFile)
///     ledger                            issued and revoked certificates (EnrollmentLedger)
///     crl.der                           the current revocation list
struct CADirectory {
    let path: String

    static let rootKey = "root-key.pem"
    static let rootCertificate = "root-cert.pem"
    static let serverKey = "server-key.pem"
    static let serverCertificate = "server-cert.pem"
    static let signerKey = "signer-key.pem"
    static let signerCertificate = "signer-cert.pem"
    static let configuration = "reload-config.xml"
    static let accounts = "accounts"
    static let ledger = "ledger"
    static let revocationList = "crl.der"

    /// Sizes of the small files read here (keys and certificates are a few hundred bytes).
    static let maximumKeyOrCertificateBytes = 16 * 1024
    /// The user name of the configuration signer's certificate (its ledger line names it too).
    static let signerAccount = "configuration-signer"

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String, maximumBytes: Int) throws(CommandFailure) -> [UInt8] {
        do throws(PlatformError) {
            return try FileSystem.readFile(file(name), maximumBytes: maximumBytes)
        } catch {
            throw .failed(error.description)
        }
    }

    /// Writes a file atomically with `mode`.
    func write(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CommandFailure) {
        try CommandSupport.writeFile(file(name), bytes, mode: mode)
    }

    func key(_ name: String) throws(CommandFailure) -> PrivateKey {
        let bytes = try read(name, maximumBytes: CADirectory.maximumKeyOrCertificateBytes)
        do throws(CryptoError) {
            return try PrivateKey(encoded: bytes)
        } catch {
            throw .failed("\(file(name)): \(error.description)")
        }
    }

    func certificate(_ name: String) throws(CommandFailure) -> Certificate {
        let bytes = try read(name, maximumBytes: CADirectory.maximumKeyOrCertificateBytes)
        do throws(CryptoError) {
            return try Certificate.parse(bytes)
        } catch {
            throw .failed("\(file(name)): \(error.description)")
        }
    }

    func issuer() throws(CommandFailure) -> CertificateIssuer {
        let key = try key(CADirectory.rootKey)
        let certificate = try certificate(CADirectory.rootCertificate)
        do throws(CryptoError) {
            return try CertificateIssuer(key: key, certificate: certificate)
        } catch {
            throw .failed("\(file(CADirectory.rootKey)): \(error.description)")
        }
    }

    func accounts() throws(CommandFailure) -> AccountsFile {
        let bytes = try read(CADirectory.accounts, maximumBytes: EnrollmentLimits.maximumAccountsFileBytes)
        do throws(EnrollmentError) {
            return try AccountsFile.parse(bytes)
        } catch {
            throw .failed(describe(error, file: CADirectory.accounts))
        }
    }

    func ledger() throws(CommandFailure) -> EnrollmentLedger {
        let limit = EnrollmentLimits.maximumLedgerRecords * (EnrollmentLimits.maximumLedgerLineBytes / 8)
        let bytes = try read(CADirectory.ledger, maximumBytes: limit)
        do throws(EnrollmentError) {
            return try EnrollmentLedger.parse(bytes)
        } catch {
            throw .failed(describe(error, file: CADirectory.ledger))
        }
    }

    /// "DIR/accounts:3: reason" for errors that carry a line, "DIR/FILE: reason" otherwise.
    func describe(_ error: EnrollmentError, file name: String) -> String {
        switch error {
        case .accountsFile(let line, let reason), .ledger(let line, let reason):
            return "\(file(name)):\(line): \(reason)"
        default:
            return "\(file(name)): \(error.description)"
        }
    }

    /// The signed configuration document and the configuration in it (the CA writes one).
    func configuration() throws(CommandFailure) -> (document: [UInt8], configuration: OverlayConfiguration) {
        let bytes = try read(CADirectory.configuration, maximumBytes: ConfigLimits.maximumDocumentBytes)
        do throws(OverlayConfigError) {
            let document = try OverlayDocument.parse(bytes)
            guard document.configurations.count == 1 else {
                throw .limitExceeded("configuration", limit: 1, SourceLocation(line: 1, column: 1))
            }
            return (bytes, document.configurations[0].configuration)
        } catch {
            throw .failed("\(file(CADirectory.configuration)): \(error.description)")
        }
    }
}
