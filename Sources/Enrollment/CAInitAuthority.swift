import Crypto
import Wire

/// A new enrollment server (RFC 6940 §11.3): the overlay's root key and self-signed root
/// certificate, the HTTPS server's key and certificate (its name is the overlay name, as §11.3
/// asks), the configuration signer's key and certificate, and the files written from them.
public struct CAInitAuthority {
    public let root: CertificateIssuer
    public let serverKey: PrivateKey
    public let serverCertificate: Certificate
    public let signerKey: PrivateKey
    public let signerCertificate: Certificate
    public let signerNodeId: [UInt8]
    public let signerSerial: [UInt8]

    /// The user name of the configuration signer's certificate (its ledger line names it too).
    public static let signerAccount = "configuration-signer"

    public struct File: Equatable {
        public let name: String
        public let bytes: [UInt8]
        public let mode: UInt32
    }

    public static func make(_ options: CAInitParameters, now: WallTime, random: RandomGenerator) throws(CAError) -> CAInitAuthority {
        do throws(CryptoError) {
            let notBefore = CAValidity.certificateTime(now.adding(seconds: -CAValidity.backdateSeconds))
            let notAfter = CAValidity.certificateTime(now.adding(seconds: options.validityDays * 86_400))
            let plainName = "p2psip root " + options.overlay
            let root = try CertificateIssuer.createRoot(
                key: PrivateKey.generateP256(using: random),
                commonName: plainName.utf8.count <= 64 ? plainName : "p2psip overlay root",
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
            let serverKey = try PrivateKey.generateP256(using: random)
            // RFC 6940 §11.3: "The server certificate MUST match the overlay name".
            let server = try root.issueServerCertificate(
                publicKey: serverKey.publicKey(), dnsNames: [options.overlay] + options.serverNames, ipAddresses: options.serverAddresses,
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
            let signerKey = try PrivateKey.generateP256(using: random)
            let signerNodeId = try random.bytes(options.nodeIdLength)
            let signerSerial = try CertificateIssuer.randomSerial(using: random)
            let signer = try root.issueNodeCertificate(
                publicKey: signerKey.publicKey(), nodeIds: [signerNodeId],
                userName: CAInitAuthority.signerAccount + "@" + options.overlay, overlay: options.overlay, serial: signerSerial,
                notBefore: notBefore, notAfter: notAfter, using: random)
            return CAInitAuthority(
                root: root, serverKey: serverKey, serverCertificate: try Certificate(der: server), signerKey: signerKey,
                signerCertificate: try Certificate(der: signer), signerNodeId: signerNodeId, signerSerial: signerSerial)
        } catch {
            throw CAError("making the root, server and signer certificates: \(error.description)")
        }
    }

    /// Every file of the new CA directory, in the order they are written (keys first).
    public func files(_ options: CAInitParameters, now: WallTime, random: RandomGenerator) throws(CAError) -> [File] {
        var ledger = EnrollmentLedger()
        let document = try signedConfiguration(options, now: now, random: random)
        let revocationList: [UInt8]
        do throws(CryptoError) {
            // The signer is a certificate of the ledger like any other: never the same Node-ID
            // twice, and `ca revoke --serial` can revoke it.
            try record(in: &ledger)
            revocationList = try RevocationList.create(
                issuer: root, revoked: [], number: ledger.nextCRLNumber(), thisUpdate: now.civilTime,
                nextUpdate: CAValidity.certificateTime(now.adding(seconds: CAValidity.revocationListDays * 86_400)), using: random)
            return [
                File(name: CAFileNames.rootKey, bytes: try root.key.pemEncoded(), mode: CAFileNames.privateMode),
                File(name: CAFileNames.serverKey, bytes: try serverKey.pemEncoded(), mode: CAFileNames.privateMode),
                File(name: CAFileNames.signerKey, bytes: try signerKey.pemEncoded(), mode: CAFileNames.privateMode),
                File(name: CAFileNames.rootCertificate, bytes: PEM.encode(root.certificate.der, label: "CERTIFICATE"), mode: CAFileNames.publicMode),
                File(name: CAFileNames.serverCertificate, bytes: PEM.encode(serverCertificate.der, label: "CERTIFICATE"), mode: CAFileNames.publicMode),
                File(name: CAFileNames.signerCertificate, bytes: PEM.encode(signerCertificate.der, label: "CERTIFICATE"), mode: CAFileNames.publicMode),
                File(name: CAFileNames.configuration, bytes: document, mode: CAFileNames.publicMode),
                File(name: CAFileNames.accounts, bytes: AccountsFile().serialized(), mode: CAFileNames.privateMode),
                File(name: CAFileNames.ledger, bytes: ledger.serialized(), mode: CAFileNames.privateMode),
                File(name: CAFileNames.revocationList, bytes: revocationList, mode: CAFileNames.publicMode),
            ]
        } catch {
            throw CAError("writing the keys and the revocation list: \(error.description)")
        }
    }

    func record(in ledger: inout EnrollmentLedger) throws(CryptoError) {
        let record = IssuedCertificate(
            serialNumber: signerSerial, user: CAInitAuthority.signerAccount, keyHash: SHA256.hash(try signerKey.publicKeyDER()),
            notAfterSeconds: signerCertificate.notAfter.unixSeconds, nodeIds: [signerNodeId])
        do throws(EnrollmentError) {
            try ledger.record(record)
        } catch {
            throw .malformed(error.description)
        }
    }
}

extension CAInitAuthority {
    /// Makes a new authority and writes every file of its directory into `store`, keys first
    /// (the caller checked that the directory is new: `ca init` never overwrites a CA).
    public static func create<Store: CAFileStore>(
        in store: Store, _ options: CAInitParameters, now: WallTime, random: RandomGenerator
    ) throws(CAError) -> CAInitAuthority {
        let authority = try make(options, now: now, random: random)
        for file in try authority.files(options, now: now, random: random) {
            try store.write(file.name, file.bytes, mode: file.mode)
        }
        return authority
    }
}
