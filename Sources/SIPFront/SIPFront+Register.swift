import Reload
import SIP
import Wire

/// A REGISTER whose bindings wait for their Store in the overlay: RFC 7904 §3.1 makes the
/// overlay the registrar, so the phone hears 200 only once the overlay has the record.
struct PendingStore {
    let storeId: UInt32
    let hop: SIPHop
    let branch: [UInt8]
    let request: SIPMessage
    let addressOfRecord: AddressOfRecord
    let bindings: [Binding]
    let deadline: WallTime
}

extension SIPFront {
    /// RFC 3261 §10.3, the registrar, with the overlay as its location service (RFC 7904 §3).
    mutating func handleRegister(_ request: SIPMessage, from hop: SIPHop, branch: [UInt8], now: WallTime) throws(SIPError) -> [SIPFrontAction] {
        func refuse(_ status: Int, _ reason: String) -> [SIPFrontAction] {
            return answer(request, to: hop, branch: branch, status: status, reason: reason, now: now)
        }
        guard case .phone(let address) = hop else { return refuse(403, "Forbidden (REGISTER from the overlay)") }
        // Step 1: we are the registrar of the overlay's domain only.
        guard let uri = request.requestURI, uri.user == nil, uri.host == configuration.domain || isOurAddress(uri) else {
            return refuse(404, "Not Found (domain not served)")
        }
        // Step 2: no extensions are supported (§8.2.2.3: 420 with Unsupported).
        let required = request.values(of: "Require")
        guard required.isEmpty else {
            return answer(request, to: hop, branch: branch, status: 420, reason: "Bad Extension", now: now) { response in
                for value in required { response.otherHeaders.append(SIPHeaderField(name: Array("Unsupported".utf8), value: value)) }
            }
        }
        // RFC 3261 §26.3.2.4: a source guessing passwords is refused before any digest work,
        // right password or not, until its penalty is over (403, §21.4.4: authorization will
        // not help now). The same answer for a blocked user name (authenticate).
        guard !failures.isBlocked(address.host, now: now) else {
            counters.refusedSourcePenalty += 1
            return refuse(403, SIPFront.penaltyReason)
        }
        let account: SIPAccount
        switch try authenticate(request, source: address, now: now) {
        case .account(let found): account = found
        case .challenge(let stale): return challenge(request, to: hop, branch: branch, stale: stale, now: now)
        case .forbidden(let reason): return refuse(403, "Forbidden (" + reason + ")")
        case .userPenalty:
            counters.refusedUserPenalty += 1
            return refuse(403, SIPFront.penaltyReason)
        }
        // Steps 5 and 6: the To's AOR, which the authenticated account must own.
        let addressOfRecord = try AddressOfRecord(uri: inOverlayDomain(request.to.uri), field: "To")
        guard addressOfRecord == account.addressOfRecord else { return refuse(403, "Forbidden (not your address of record)") }
        return try updateBindings(request, from: address, branch: branch, addressOfRecord, now: now)
    }

    static let penaltyReason = "Forbidden (too many failures)"

    enum Authentication {
        case account(SIPAccount)
        case challenge(stale: Bool)
        case forbidden(String)
        /// The user name is in a failure penalty: refused unchecked.
        case userPenalty
    }

    /// RFC 3261 §22.2 with the accounts of the configuration. Wrong answers count as failures
    /// of the source and of the user name; a nonce we cannot check (another start of ours, a
    /// replay) only earns a new challenge, since it tells a guesser nothing.
    ///
    /// An unknown user name is checked like a known one, against a password nobody knows
    /// (`unknownUserSecret`): the same Digest work, the same verdicts, the same penalties and
    /// answers, so that answers do not tell which accounts exist (RFC 3261 §26.3.2.4).
    mutating func authenticate(_ request: SIPMessage, source: PhoneAddress, now: WallTime) throws(SIPError) -> Authentication {
        let realm = configuration.realm
        guard let header = request.authorizations.first(where: { $0.isDigest && $0.value("realm") == realm }),
            let uri = request.requestURI
        else { return .challenge(stale: false) }
        let credentials = try DigestCredentials(header)
        // A guessing run spread over many sources meets the user name's penalty. A source
        // with a live binding (a phone that proved its password) is spared it, so that a
        // guesser elsewhere cannot keep the user's own phones out.
        if userFailures.isBlocked(credentials.username, now: now) && !registrations.hasSource(source, now: now) {
            return .userPenalty
        }
        let account = configuration.accounts.first(where: { $0.username == credentials.username })
        let verdict = verdict(credentials, uri: uri, account: account, now: now)
        switch verdict {
        case .accepted:
            guard let account else { preconditionFailure("unknown users are never accepted") }
            failures.recordSuccess(source.host)
            userFailures.recordSuccess(credentials.username)
            return .account(account)
        case .stale:
            return .challenge(stale: true)
        case .rejected(.unknownNonce), .rejected(.nonceFromFuture), .rejected(.replayed):
            return .challenge(stale: false)
        case .rejected(let rejection):
            counters.digestFailures += 1
            failures.recordFailure(source.host, now: now)
            userFailures.recordFailure(credentials.username, now: now)
            return .forbidden(rejection.description)
        }
    }

    /// The verdict on `credentials`, with the differences between accounts hidden: an unknown
    /// user is checked against `unknownUserSecret` and never accepted; an account whose stored
    /// HA1 is of another algorithm than the credentials' answers as a wrong password does.
    mutating func verdict(_ credentials: DigestCredentials, uri: SIPURI, account: SIPAccount?, now: WallTime) -> DigestVerdict {
        let secret = account?.secret ?? unknownUserSecret
        let verdict = authenticator.verify(credentials, method: .register, requestURI: uri, secret: secret, now: now)
        switch verdict {
        case .rejected(.algorithmUnavailable) where authenticator.algorithms.contains(credentials.algorithm):
            return .rejected(.wrongResponse)
        case .accepted where account == nil, .stale where account == nil:
            return .rejected(.wrongResponse)
        default:
            return verdict
        }
    }

    /// 401 with one challenge per algorithm (RFC 3261 §22.1, RFC 8760 §2.4); stale=true when
    /// only the nonce was old (RFC 2617 §3.2.1).
    mutating func challenge(_ request: SIPMessage, to hop: SIPHop, branch: [UInt8], stale: Bool, now: WallTime) -> [SIPFrontAction] {
        let challenges = authenticator.challenges(now: now, stale: stale)
        var response = SIPMessage.response(to: request, statusCode: 401, reason: Array("Unauthorized".utf8), toTag: tag(branch: branch, request))
        response.wwwAuthenticates = challenges
        // Not remembered: a retransmission gets a fresh nonce, which is as good.
        return [send(response.serialize(), to: hop)]
    }

    enum BindingUpdate {
        case bindings([Binding])
        case refuse(Int, String)
        /// §10.3 step 7: 423 with Min-Expires.
        case intervalTooBrief
    }

    /// Steps 6 to 8: the new bindings, checked whole before anything changes.
    mutating func updateBindings(
        _ request: SIPMessage, from address: PhoneAddress, branch: [UInt8], _ addressOfRecord: AddressOfRecord, now: WallTime
    ) throws(SIPError) -> [SIPFrontAction] {
        let hop = SIPHop.phone(address)
        func refuse(_ status: Int, _ reason: String) -> [SIPFrontAction] {
            return answer(request, to: hop, branch: branch, status: status, reason: reason, now: now)
        }
        let current = registrations.bindings(of: addressOfRecord).filter { $0.expiresAt > now }
        // Step 8: a REGISTER without Contact asks for the current bindings.
        guard request.isContactWildcard || !request.contacts.isEmpty else {
            return answerRegistered(request, to: hop, branch: branch, current, now: now)
        }
        let bindings: [Binding]
        switch try SIPFront.updatedBindings(current, request, from: address, now: now) {
        case .bindings(let updated): bindings = updated
        case .refuse(let status, let reason): return refuse(status, reason)
        case .intervalTooBrief:
            return answer(request, to: hop, branch: branch, status: 423, reason: "Interval Too Brief", now: now) { response in
                let minimum = SIPFrontLimits.minimumExpiresSeconds
                response.otherHeaders.append(SIPHeaderField(name: Array("Min-Expires".utf8), value: Array(String(minimum).utf8)))
            }
        }
        let reserved = pendingStores.reduce(0) { $0 + $1.bindings.count }
        guard registrations.fits(bindings, for: addressOfRecord, reserved: reserved) else {
            return refuse(503, "Service Unavailable (registrations full)")
        }
        if bindings.isEmpty {
            // Unregistration (§10.2.2): local at once; the overlay value is removed behind it.
            registrations.replace(addressOfRecord, with: [])
            var actions = answerRegistered(request, to: hop, branch: branch, [], now: now)
            if !current.isEmpty {
                actions.append(.removeRegistration(addressOfRecord: addressOfRecord, dictionaryKey: configuration.nodeId))
            }
            return actions
        }
        return storeBindings(request, from: hop, branch: branch, addressOfRecord, bindings, now: now)
    }

    /// Step 7 for each Contact: expiry from its parameter, else Expires, else our default;
    /// bindings of the same Call-ID only move forward in CSeq.
    static func updatedBindings(_ current: [Binding], _ request: SIPMessage, from address: PhoneAddress, now: WallTime) throws(SIPError) -> BindingUpdate {
        var bindings = current
        if request.isContactWildcard {
            // §10.3 step 6: "*" only alone and with Expires: 0.
            guard request.contacts.isEmpty, request.expires == 0 else {
                throw .malformedHeader(field: "Contact", reason: "* without Expires: 0")
            }
            if bindings.contains(where: { $0.callId == request.callId && $0.sequence >= request.cseq.number }) {
                return .refuse(500, "Server Internal Error (CSeq out of order)")
            }
            return .bindings([])
        }
        for contact in request.contacts {
            let requested = try expires(of: contact, request)
            if requested != 0 && requested < SIPFrontLimits.minimumExpiresSeconds { return .intervalTooBrief }
            let granted = min(requested, SIPFrontLimits.maximumExpiresSeconds)
            var clean = contact
            clean.parameters.removeAll { $0.name == Array("expires".utf8) }
            let binding = Binding(
                contact: clean, source: address, callId: request.callId, sequence: request.cseq.number,
                expiresAt: now.adding(seconds: Int64(granted)), updatedAt: now)
            if let index = bindings.firstIndex(where: { RegistrationTable.sameTarget($0.contact.uri, contact.uri) }) {
                if bindings[index].callId == request.callId && request.cseq.number <= bindings[index].sequence {
                    return .refuse(500, "Server Internal Error (CSeq out of order)")
                }
                if granted == 0 { bindings.remove(at: index) } else { bindings[index] = binding }
            } else if granted != 0 {
                bindings.append(binding)
            }
        }
        return .bindings(bindings)
    }

    /// RFC 3261 §10.2.1.1: the Contact's expires parameter, else the Expires header.
    static func expires(of contact: SIPNameAddress, _ request: SIPMessage) throws(SIPError) -> UInt32 {
        guard let parameter = contact.parameters.parameter("expires") else {
            return request.expires ?? SIPFrontLimits.defaultExpiresSeconds
        }
        guard let text = parameter.value, !text.isEmpty, text.count <= 10, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .malformedHeader(field: "Contact", reason: "expires is not delta-seconds")
        }
        let value = text.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
        // §20.19: "a value over 2**32-1 is taken as 2**32-1".
        return UInt32(min(value, UInt64(UInt32.max)))
    }
}
