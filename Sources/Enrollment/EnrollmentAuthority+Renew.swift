import Crypto
import Wire

// Renewal: RFC 6940 §11.3 says the server "SHOULD maintain a mapping of users to Node-IDs and if
// the same user returns (e.g., to have their certificate re-issued), the enrollment server
// should return the same Node-IDs, thus avoiding the need for implementations to re-store all
// their data when their certificates expire" (and §3.1: the CA "reissues the same Node-ID when
// a new certificate is generated"). The holder of a certificate this server issued asks without
// a password: the request carries the certificate, and a CSR for the same key (its
// self-signature proves possession of the key). It gets the same user name and Node-IDs under
// a new serial, and spends nothing of the user's Node-ID cap.
//
// Bounds: a certificate is renewed at most once, and only from the policy's share of its
// validity on (renewal-opens-percent, by default half way), so one holder adds at most one
// ledger record per half lifetime; the address and user rate limits apply as to any enrollment.
extension EnrollmentAuthority {
    /// The first moment a certificate valid from `notBefore` to `notAfter` (seconds since
    /// 1970) may be renewed.
    public func renewalOpens(notBefore: Int64, notAfter: Int64) -> Int64 {
        return notBefore + (notAfter - notBefore) * accounts.policy.renewalOpensPercent / 100
    }

    func renew(_ request: EnrollmentRequest, certificateDER: [UInt8], now: WallTime, using random: RandomGenerator) -> EnrollmentOutcome {
        guard request.password == nil, request.nodeIds == nil,
            let old = try? Certificate(der: certificateDER),
            let identity = try? renewalVerifier.verify(chain: [old], now: now.civilTime), !identity.isSelfSigned,
            let record = ledger.record(serial: old.serialNumber), record.nodeIds == identity.nodeIds,
            !ledger.isRevoked(record.serialNumber),
            identity.userName == record.user + "@" + overlayName, accounts.account(named: record.user) != nil
        else { return .refused(.failedAuthentication) }
        if let wait = userLimiter.take(Array(record.user.utf8), now: now) { return .refused(.rateLimited(retryAfter: wait)) }
        guard let csrBytes = request.csr, request.csrContentType.map(isPKCS10) ?? false,
            let csr = try? CertificateSigningRequest.parse(csrBytes), let spki = try? csr.publicKey().derEncoded(),
            spki == (try? old.publicKeyDER()), SHA256.hash(spki) == record.keyHash,
            requestedNamesMatch(csr.requestedNames, account: record.user)
        else { return .refused(.badCSR) }
        guard !ledger.isRenewed(record.serialNumber),
            now.secondsSince1970 >= renewalOpens(
                notBefore: old.notBefore.unixSeconds, notAfter: old.notAfter.unixSeconds)
        else { return .refused(.notYetRenewable) }
        guard let serial = drawSerial(using: random) else { return .refused(.internalFailure) }
        let notAfter = certificateNotAfter(now: now)
        guard WallTime(notAfter) > now else { return .refused(.internalFailure) }
        let certificate: [UInt8]
        do throws(CryptoError) {
            certificate = try issuer.issueNodeCertificate(
                publicKey: csr.publicKey(), nodeIds: record.nodeIds, userName: identity.userName, overlay: overlayName,
                serial: serial, notBefore: certificateNotBefore(now: now), notAfter: notAfter, using: random)
        } catch {
            return .refused(.internalFailure)
        }
        do throws(EnrollmentError) {
            let renewal = try ledger.recordRenewal(serial: serial, from: record.serialNumber, notAfterSeconds: notAfter.unixSeconds)
            return .issued(certificate: certificate, record: renewal)
        } catch {
            return .refused(.internalFailure)
        }
    }
}
