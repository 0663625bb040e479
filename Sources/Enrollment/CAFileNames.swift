/// The files of an enrollment server's directory (RFC 6940 §11.3). Keys and the accounts and
/// ledger are mode 0600 (CAFileNames.privateMode), the rest 0644.
///
///     root-key.pem root-cert.pem        the overlay's root (RFC 6940 §11.1 root-cert)
///     server-key.pem server-cert.pem    the HTTPS server's TLS identity (§11.3)
///     signer-key.pem signer-cert.pem    the configuration and kind signer (§11.1)
///     reload-config.xml                 the signed overlay configuration document
///     accounts                          admission policy and users (AccountsFile)
///     ledger                            issued and revoked certificates (EnrollmentLedger)
///     crl.der                           the current revocation list
public enum CAFileNames {
    public static let rootKey = "root-key.pem"
    public static let rootCertificate = "root-cert.pem"
    public static let serverKey = "server-key.pem"
    public static let serverCertificate = "server-cert.pem"
    public static let signerKey = "signer-key.pem"
    public static let signerCertificate = "signer-cert.pem"
    public static let configuration = "reload-config.xml"
    public static let accounts = "accounts"
    public static let ledger = "ledger"
    public static let revocationList = "crl.der"

    /// Secrets and the records of who holds what: owner only.
    public static let privateMode: UInt32 = 0o600
    public static let publicMode: UInt32 = 0o644
}
