import Config
import Crypto

/// The files of an enrollment server (RFC 6940 §11.3), read and checked over a CAFileStore:
/// each failure names the file. `ca init` writes them; `ca serve`, `ca user` and `ca revoke`
/// read them (file names: CAFileNames).
public struct CAFiles<Store: CAFileStore> {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// A PEM or DER private key.
    public func key(_ name: String) throws(CAError) -> PrivateKey {
        let bytes = try store.read(name, maximumBytes: EnrollmentLimits.maximumKeyOrCertificateBytes)
        do throws(CryptoError) {
            return try PrivateKey(encoded: bytes)
        } catch {
            throw CAError("\(store.path(name)): \(error.description)")
        }
    }

    /// A PEM (first block) or DER certificate.
    public func certificate(_ name: String) throws(CAError) -> Certificate {
        let bytes = try store.read(name, maximumBytes: EnrollmentLimits.maximumKeyOrCertificateBytes)
        do throws(CryptoError) {
            return try Certificate.parse(bytes)
        } catch {
            throw CAError("\(store.path(name)): \(error.description)")
        }
    }

    /// The root key and certificate, checked to belong together.
    public func issuer() throws(CAError) -> CertificateIssuer {
        let key = try key(CAFileNames.rootKey)
        let certificate = try certificate(CAFileNames.rootCertificate)
        do throws(CryptoError) {
            return try CertificateIssuer(key: key, certificate: certificate)
        } catch {
            throw CAError("\(store.path(CAFileNames.rootKey)): \(error.description)")
        }
    }

    public func accounts() throws(CAError) -> AccountsFile {
        let bytes = try store.read(CAFileNames.accounts, maximumBytes: EnrollmentLimits.maximumAccountsFileBytes)
        do throws(EnrollmentError) {
            return try AccountsFile.parse(bytes)
        } catch {
            throw CAError(describe(error, file: CAFileNames.accounts))
        }
    }

    public func ledger() throws(CAError) -> EnrollmentLedger {
        let bytes = try store.read(CAFileNames.ledger, maximumBytes: EnrollmentLimits.maximumLedgerFileBytes)
        do throws(EnrollmentError) {
            return try EnrollmentLedger.parse(bytes)
        } catch {
            throw CAError(describe(error, file: CAFileNames.ledger))
        }
    }

    /// The DER revocation list as it is served (checked when it replaces the served one).
    public func revocationList() throws(CAError) -> [UInt8] {
        return try store.read(CAFileNames.revocationList, maximumBytes: CryptoLimits.maximumRevocationListBytes)
    }

    /// "DIR/accounts:3: reason" for errors that carry a line, "DIR/FILE: reason" otherwise.
    func describe(_ error: EnrollmentError, file name: String) -> String {
        switch error {
        case .accountsFile(let line, let reason), .ledger(let line, let reason):
            return "\(store.path(name)):\(line): \(reason)"
        default:
            return "\(store.path(name)): \(error.description)"
        }
    }

    /// The signed configuration document and the one configuration in it (the CA writes one).
    public func configuration() throws(CAError) -> (document: [UInt8], configuration: OverlayConfiguration) {
        let bytes = try store.read(CAFileNames.configuration, maximumBytes: ConfigLimits.maximumDocumentBytes)
        do throws(OverlayConfigError) {
            let document = try OverlayDocument.parse(bytes)
            guard document.configurations.count == 1 else {
                throw .limitExceeded("configuration", limit: 1, SourceLocation(line: 1, column: 1))
            }
            return (bytes, document.configurations[0].configuration)
        } catch {
            throw CAError("\(store.path(CAFileNames.configuration)): \(error.description)")
        }
    }
}
