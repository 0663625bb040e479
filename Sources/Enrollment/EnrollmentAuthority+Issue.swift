import Crypto
import Wire

extension EnrollmentAuthority {
    /// Draws the Node-IDs and serial, signs the certificate, records it.
    func issue(
        key: PublicKey, keyHash: [UInt8], user: String, count: Int, now: WallTime, using random: RandomGenerator
    ) -> EnrollmentOutcome {
        guard let nodeIds = drawNodeIds(count, using: random), let serial = drawSerial(using: random) else {
            return .refused(.internalFailure)
        }
        let notBefore = certificateNotBefore(now: now)
        let notAfter = certificateNotAfter(now: now)
        guard WallTime(notAfter) > now else { return .refused(.internalFailure) }
        let certificate: [UInt8]
        do throws(CryptoError) {
            certificate = try issuer.issueNodeCertificate(
                publicKey: key, nodeIds: nodeIds, userName: user + "@" + overlayName, overlay: overlayName,
                serial: serial, notBefore: notBefore, notAfter: notAfter,
                using: random)
        } catch {
            return .refused(.internalFailure)
        }
        let record = IssuedCertificate(serialNumber: serial, user: user, keyHash: keyHash, notAfterSeconds: notAfter.unixSeconds, nodeIds: nodeIds)
        do throws(EnrollmentError) {
            try ledger.record(record)
        } catch {
            return .refused(.internalFailure)
        }
        return .issued(certificate: certificate, record: record)
    }

    /// The validity of a certificate issued at `now`: from a little before (clock skew), for
    /// the policy's lifetime, to the second as X.509 writes it, never past the root's.
    func certificateNotBefore(now: WallTime) -> CivilTime {
        return now.adding(seconds: -EnrollmentLimits.notBeforeBackdateSeconds).civilTime
    }

    func certificateNotAfter(now: WallTime) -> CivilTime {
        return min(now.adding(seconds: accounts.policy.certificateLifetimeSeconds).civilTime, issuer.certificate.notAfter)
    }

    /// `count` random Node-IDs (RFC 4086 randomness from the CTR-DRBG): not all zeros, not all
    /// ones (the ring's ends, which some implementations treat specially), unique among all
    /// Node-IDs ever issued and within the request.
    func drawNodeIds(_ count: Int, using random: RandomGenerator) -> [[UInt8]]? {
        var nodeIds: [[UInt8]] = []
        var draws = 0
        while nodeIds.count < count {
            draws += 1
            guard draws <= EnrollmentLimits.maximumRandomDraws * count, let candidate = try? random.bytes(nodeIdLength) else {
                return nil
            }
            if candidate.allSatisfy({ $0 == 0 }) || candidate.allSatisfy({ $0 == 0xFF }) { continue }
            if ledger.isNodeIdIssued(candidate) || nodeIds.contains(candidate) { continue }
            nodeIds.append(candidate)
        }
        return nodeIds
    }

    func drawSerial(using random: RandomGenerator) -> [UInt8]? {
        for _ in 0..<EnrollmentLimits.maximumRandomDraws {
            guard let serial = try? CertificateIssuer.randomSerial(using: random) else { return nil }
            if !ledger.isSerialIssued(serial) { return serial }
        }
        return nil
    }

    /// Revokes one serial at `now`; the ledger lines to append (empty when nothing changed).
    public func revoke(serialNumber: [UInt8], now: WallTime) -> [String] {
        guard ledger.revoke(serialNumber: serialNumber, atSeconds: now.secondsSince1970) else { return [] }
        return [EnrollmentLedger.revocationLine(serialNumber: serialNumber, atSeconds: now.secondsSince1970)]
    }

    /// Revokes every certificate of `user`.
    public func revoke(user: String, now: WallTime) -> [String] {
        return ledger.serials(user: user).flatMap { revoke(serialNumber: $0, now: now) }
    }

    /// Revokes the certificates that hold `nodeId` (a certificate and its renewals).
    public func revoke(nodeId: [UInt8], now: WallTime) -> [String] {
        return ledger.serials(nodeId: nodeId).flatMap { revoke(serialNumber: $0, now: now) }
    }

    /// A new CRL signed by the root: the revoked certificates that have not expired, the next
    /// CRL number, valid from `now` for `validitySeconds`. Append `numberLine` to the ledger.
    public func revocationList(
        now: WallTime, validitySeconds: Int64, using random: RandomGenerator
    ) throws(EnrollmentError) -> (der: [UInt8], numberLine: String) {
        guard validitySeconds > 0 else { throw .invalidArgument("CRL validity must be positive") }
        let number = ledger.nextCRLNumber()
        do throws(CryptoError) {
            let der = try RevocationList.create(
                issuer: issuer, revoked: ledger.revokedCertificates(now: now), number: number,
                thisUpdate: now.civilTime, nextUpdate: now.adding(seconds: validitySeconds).civilTime,
                using: random)
            return (der, ledger.crlNumberLine)
        } catch {
            throw .crypto(error.description)
        }
    }
}
