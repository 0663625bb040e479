import Reload
import SIP
import Wire

extension SIPFront {
    /// RFC 7904 §3.1: "a RELOAD peer stores a SipRegistration Resource Record under its own
    /// AOR using the SIP-REGISTRATION Kind"; §3.2: a sip_registration_route whose destination
    /// list is this peer, under the dictionary key of our Node-ID. Its lifetime is that of
    /// the longest binding (§3.1: the registration lifetime is the StoredData lifetime).
    mutating func storeBindings(
        _ request: SIPMessage, from hop: SIPHop, branch: [UInt8], _ addressOfRecord: AddressOfRecord, _ bindings: [Binding], now: WallTime
    ) -> [SIPFrontAction] {
        precondition(!bindings.isEmpty)
        // One Store per AOR at a time: a second would race the first for the same bindings.
        guard pendingStores.count < SIPFrontLimits.pendingStoreCapacity,
            !pendingStores.contains(where: { $0.addressOfRecord == addressOfRecord })
        else {
            return answer(request, to: hop, branch: branch, status: 500, reason: "Server Internal Error (busy)", now: now) { response in
                // §21.5.1: the client may retry after the seconds of Retry-After.
                response.otherHeaders.append(SIPHeaderField(name: Array("Retry-After".utf8), value: Array("1".utf8)))
            }
        }
        let latest = bindings.map { $0.expiresAt }.max() ?? now
        let store = RegistrationStore(
            storeId: newId(), addressOfRecord: addressOfRecord, dictionaryKey: configuration.nodeId,
            value: .route(contactPrefs: [], destinationList: [.node(configuration.nodeId)]),
            lifetimeSeconds: UInt32(clamping: max(latest.seconds(since: now), 1)))
        pendingStores.append(
            PendingStore(
                storeId: store.storeId, hop: hop, branch: branch, request: request, addressOfRecord: addressOfRecord,
                bindings: bindings, deadline: now.adding(seconds: SIPFrontLimits.storeTimeoutSeconds)))
        return [.storeRegistration(store)]
    }

    /// The overlay answered a `.storeRegistration`. Stored: the bindings take effect and the
    /// phone gets its 200; otherwise the phone is told the registrar could not do it.
    public mutating func overlayStoreCompleted(storeId: UInt32, result: RegistrationStoreResult, now: WallTime) -> [SIPFrontAction] {
        guard let index = pendingStores.firstIndex(where: { $0.storeId == storeId }) else {
            return [log(.debug, "store result for no pending REGISTER")]
        }
        let pending = pendingStores.remove(at: index)
        func refuse(_ status: Int, _ reason: String) -> [SIPFrontAction] {
            return answer(pending.request, to: pending.hop, branch: pending.branch, status: status, reason: reason, now: now)
        }
        switch result {
        case .stored:
            guard registrations.fits(pending.bindings, for: pending.addressOfRecord) else {
                return refuse(503, "Service Unavailable (registrations full)")
            }
            registrations.replace(pending.addressOfRecord, with: pending.bindings)
            var actions = answerRegistered(pending.request, to: pending.hop, branch: pending.branch, pending.bindings, now: now)
            actions.append(log(.info, "registered " + pending.addressOfRecord.text))
            return actions
        case .refused:
            return refuse(500, "Server Internal Error (the overlay refused the registration)")
        case .unreachable:
            return refuse(503, "Service Unavailable (overlay unreachable)")
        }
    }

    /// RFC 3261 §10.3 step 8: 200 listing every current binding with its expires parameter.
    mutating func answerRegistered(_ request: SIPMessage, to hop: SIPHop, branch: [UInt8], _ bindings: [Binding], now: WallTime) -> [SIPFrontAction] {
        return answer(request, to: hop, branch: branch, status: 200, reason: "OK", now: now) { response in
            for binding in bindings {
                var contact = binding.contact
                let remaining = binding.expiresAt.seconds(since: now)
                contact.parameters.set("expires", Array(String(remaining).utf8))
                response.contacts.append(contact)
            }
        }
    }

    /// REGISTERs whose Store never came back: 503 (the phone will try again).
    mutating func expirePendingStores(now: WallTime) -> [SIPFrontAction] {
        var actions: [SIPFrontAction] = []
        while let index = pendingStores.firstIndex(where: { $0.deadline <= now }) {
            let pending = pendingStores.remove(at: index)
            actions += answer(
                pending.request, to: pending.hop, branch: pending.branch, status: 503, reason: "Service Unavailable (overlay timeout)",
                now: now)
        }
        return actions
    }
}
