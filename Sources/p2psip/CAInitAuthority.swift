import Config
import Crypto
import Enrollment
import Platform
import Wire

/// The keys and certificates `ca init` makes, and the files it writes from them.
struct CAInitAuthority {
    let root: CertificateIssuer
    let serverKey: PrivateKey
    let serverCertificate: Certificate
    let signerKey: PrivateKey
    let signerCertificate: Certificate
    let signerNodeId: [UInt8]
    let signerSerial: [UInt8]

    struct File {
        let name: String
        let bytes: [UInt8]
        let mode: UInt32
    }

    static func make(_ options: CAInitCommand.Options, now: Int64, random: RandomGenerator) throws(CommandFailure) -> CAInitAuthority {
        do throws(CryptoError) {
            let notBefore = CommandSupport.certificateTime(now - CAInitCommand.backdateSeconds)
            let notAfter = CommandSupport.certificateTime(now + options.validityDays * 86_400)
            let plainName = "p2psip root " + options.overlay
            let root = try CertificateIssuer.createRoot(
                key: PrivateKey.generateP256(using: random),
                commonName: plainName.utf8.count <= 64 ? plainName : "p2psip overlay root",
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
            let serverKey = try PrivateKey.generateP256(using: random)
            // RFC 6940 §11.3: "The server certificate MUST match the overlay name".
            var addresses: [[UInt8]] = []
            if let listen = options.listen, !listen.addressBytes.allSatisfy({ $0 == 0 }) { addresses.append(listen.addressBytes) }
            let server = try root.issueServerCertificate(
                publicKey: serverKey.publicKey(), dnsNames: [options.overlay] + options.serverNames, ipAddresses: addresses,
                serial: CertificateIssuer.randomSerial(using: random), notBefore: notBefore, notAfter: notAfter, using: random)
            let signerKey = try PrivateKey.generateP256(using: random)
            let signerNodeId = try random.bytes(options.nodeIdLength)
            let signerSerial = try CertificateIssuer.randomSerial(using: random)
            let signer = try root.issueNodeCertificate(
                publicKey: signerKey.publicKey(), nodeIds: [signerNodeId],
                userName: CADirectory.signerAccount + "@" + options.overlay, overlay: options.overlay, serial: signerSerial,
                notBefore: notBefore, notAfter: notAfter, using: random)
            return CAInitAuthority(
                root: root, serverKey: serverKey, serverCertificate: try Certificate(der: server), signerKey: signerKey,
                signerCertificate: try Certificate(der: signer), signerNodeId: signerNodeId, signerSerial: signerSerial)
        } catch {
            throw .failed("making the root, server and signer certificates: \(error.description)")
        }
    }

    /// Every file of the new CA directory, in the order they are written (keys first).
    func files(_ options: CAInitCommand.Options, now: Int64, random: RandomGenerator) throws(CommandFailure) -> [File] {
        var ledger = EnrollmentLedger()
        let document = try signedConfiguration(options, now: now, random: random)
        let revocationList: [UInt8]
        do throws(CryptoError) {
            // The signer is a certificate of the ledger like any other: never the same Node-ID
            // twice, and `ca revoke --serial` can revoke it.
            try record(in: &ledger)
            revocationList = try RevocationList.create(
                issuer: root, revoked: [], number: ledger.nextCRLNumber(), thisUpdate: CertificateTime(unixSeconds: now),
                nextUpdate: CommandSupport.certificateTime(now + CAInitCommand.revocationListDays * 86_400), using: random)
            return [
                File(name: CADirectory.rootKey, bytes: try root.key.pemEncoded(), mode: 0o600),
                File(name: CADirectory.serverKey, bytes: try serverKey.pemEncoded(), mode: 0o600),
                File(name: CADirectory.signerKey, bytes: try signerKey.pemEncoded(), mode: 0o600),
                File(name: CADirectory.rootCertificate, bytes: PEM.encode(root.certificate.der, label: "CERTIFICATE"), mode: 0o644),
                File(name: CADirectory.serverCertificate, bytes: PEM.encode(serverCertificate.der, label: "CERTIFICATE"), mode: 0o644),
                File(name: CADirectory.signerCertificate, bytes: PEM.encode(signerCertificate.der, label: "CERTIFICATE"), mode: 0o644),
                File(name: CADirectory.configuration, bytes: document, mode: 0o644),
                File(name: CADirectory.accounts, bytes: AccountsFile().serialized(), mode: 0o600),
                File(name: CADirectory.ledger, bytes: ledger.serialized(), mode: 0o600),
                File(name: CADirectory.revocationList, bytes: revocationList, mode: 0o644),
            ]
        } catch {
            throw .failed("writing the keys and the revocation list: \(error.description)")
        }
    }

    func record(in ledger: inout EnrollmentLedger) throws(CryptoError) {
        let record = IssuedCertificate(
            serialNumber: signerSerial, user: CADirectory.signerAccount, keyHash: SHA256.hash(try signerKey.publicKeyDER()),
            notAfter: signerCertificate.notAfter.unixSeconds, nodeIds: [signerNodeId])
        do throws(EnrollmentError) {
            try ledger.record(record)
        } catch {
            throw .malformed(error.description)
        }
    }
}
