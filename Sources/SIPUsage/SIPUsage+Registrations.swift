import Crypto
import Link
import Node
import Reload
import SIP
import SIPFront
import Storage
import Wire

// RFC 7904 §3 and §4: the front's registrations stored in the overlay under the AOR's
// Resource-ID, and looked up there, through the peer's Node.
extension SIPUsage {
    /// RFC 7904 §3: our SipRegistration (a route to this peer) under the AOR, dictionary key
    /// our Node-ID, signed by us (USER-NODE-MATCH, §3.3).
    func storeRegistration(_ store: RegistrationStore, now: NodeTime) {
        let encoded: [UInt8]
        do throws(WireError) {
            encoded = try store.value.encoded()
        } catch {
            perform(front.overlayStoreCompleted(storeId: store.storeId, result: .refused, now: SIPUsage.frontTime(now)), now: now)
            return
        }
        let value = StoredDataValue.dictionary(DictionaryEntry(key: store.dictionaryKey.bytes, value: DataValue(value: encoded)))
        let resource = store.addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let (handle, actions) = node.store(
            resource: resource, kind: .sipRegistration, values: [value], lifetimeSeconds: store.lifetimeSeconds, now: now)
        event("SIP: storing the registration of \(store.addressOfRecord.text) (Resource-ID \(Hex.encode(resource.bytes)), "
            + "SIP-REGISTRATION key \(store.dictionaryKey.hex), lifetime \(store.lifetimeSeconds) s)", now: now)
        requests[handle] = .store(storeId: store.storeId, addressOfRecord: store.addressOfRecord.text)
        outbox.append(.node(actions))
    }

    /// RFC 6940 §7.4.1.3: a nonexistent value removes ours.
    func removeRegistration(_ addressOfRecord: AddressOfRecord, key: NodeId, now: NodeTime) {
        let value = StoredDataValue.dictionary(DictionaryEntry(key: key.bytes, value: .nonexistent))
        let resource = addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let (handle, actions) = node.store(
            resource: resource, kind: .sipRegistration, values: [value], lifetimeSeconds: SIPUsage.removalLifetimeSeconds, now: now)
        event("SIP: removing the registration of \(addressOfRecord.text)", now: now)
        requests[handle] = .remove(addressOfRecord: addressOfRecord.text)
        outbox.append(.node(actions))
    }

    /// RFC 7904 §4.2 step 1: "Perform a Fetch for Kind SIP-REGISTRATION at the Resource-ID
    /// corresponding to the AOR. This Fetch SHOULD NOT indicate any dictionary keys".
    func lookUpRegistration(_ lookup: RegistrationLookup, now: NodeTime) {
        let resource = lookup.addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let specifier = StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: []))
        let (handle, actions) = node.fetch(resource: resource, specifiers: [specifier], now: now)
        counters.lookups += 1
        event("SIP: looking up \(lookup.addressOfRecord.text) (Fetch SIP-REGISTRATION at \(Hex.encode(resource.bytes)))", now: now)
        requests[handle] = .lookup(lookupId: lookup.lookupId, addressOfRecord: lookup.addressOfRecord.text)
        outbox.append(.node(actions))
    }

    /// True when `handle` is a request of the usage (then `completed` takes its result).
    public func owns(_ handle: RequestHandle) -> Bool { requests[handle] != nil }

    /// A Node request the usage started has finished.
    public func completed(_ handle: RequestHandle, _ result: RequestResult, now: NodeTime) -> [SIPUsageOutput] {
        guard let request = requests.removeValue(forKey: handle) else { return [] }
        switch request {
        case .store(let storeId, let name): registrationStored(storeId, name, result, now: now)
        case .remove(let name): event("SIP: removal of the registration of \(name): \(SIPUsage.resultText(result))", now: now)
        case .lookup(let lookupId, let name): lookedUp(lookupId, name, result, now: now)
        case .appAttach(let peer): appAttachCompleted(peer, result, now: now)
        }
        return drain()
    }

    func registrationStored(_ storeId: UInt32, _ name: String, _ result: RequestResult, now: NodeTime) {
        let outcome: RegistrationStoreResult
        switch result {
        case .stored(let responder, let answer):
            let replicas = answer.kindResponses.first?.replicas.map { $0.hex } ?? []
            event("SIP: registration of \(name) stored at \(responder.hex), replicas: \(replicas.isEmpty ? "none" : replicas.joined(separator: " "))", now: now)
            counters.registrationsStored += 1
            outcome = .stored
        case .error(let code, let text):
            log(.warn, "SIP: the overlay refused the registration of \(name): \(code.rfcName) (\(text))")
            counters.registrationsRefused += 1
            outcome = .refused
        default:
            log(.warn, "SIP: registration of \(name) not stored: \(SIPUsage.resultText(result))")
            outcome = .unreachable
        }
        perform(front.overlayStoreCompleted(storeId: storeId, result: outcome, now: SIPUsage.frontTime(now)), now: now)
    }

    func lookedUp(_ lookupId: UInt32, _ name: String, _ result: RequestResult, now: NodeTime) {
        let found = SIPUsage.lookupResult(result, codec: node.configuration.codec)
        switch found {
        case .found(let values):
            let peers = values.compactMap { value -> String? in
                if case .route(_, let destinations) = value, case .node(let peer)? = destinations.last { return peer.hex }
                return nil
            }
            event("SIP: \(name) is registered at peer \(peers.joined(separator: ", ")) (\(SIPUsage.resultText(result)))", now: now)
        case .notFound:
            counters.lookupsNotFound += 1
            event("SIP: \(name) has no registration (\(SIPUsage.resultText(result)))", now: now)
        case .unreachable:
            event("SIP: lookup of \(name) failed: \(SIPUsage.resultText(result))", now: now)
        }
        perform(front.overlayLookupCompleted(lookupId: lookupId, result: found, now: SIPUsage.frontTime(now)), now: now)
    }

    /// What a Fetch of SIP-REGISTRATION found (values verified by the Node, RFC 6940 §7.4.2.2).
    public static func lookupResult(_ result: RequestResult, codec: CodecConfiguration) -> RegistrationLookupResult {
        guard case .fetched(_, let answer, _, _) = result else { return .unreachable }
        var values: [SipRegistration] = []
        for response in answer.kindResponses where response.kind == .sipRegistration {
            for stored in response.values.values ?? [] where stored.value.dataValue.exists {
                if let value = try? SipRegistration.decode(bytes: stored.value.dataValue.value, codec) { values.append(value) }
            }
        }
        return values.isEmpty ? .notFound : .found(values)
    }

    public static func resultText(_ result: RequestResult) -> String {
        switch result {
        case .stored(let responder, _): return "stored at \(responder.hex)"
        case .fetched(let responder, _, let dropped, let asked):
            return "answered by \(responder.hex)" + (asked > 1 ? ", \(asked) peers asked" : "") + (dropped > 0 ? ", \(dropped) dropped" : "")
        case .error(let code, let text): return "\(code.rfcName) (\(text))"
        case .failed(let text): return text
        case .appAttached(let responder, _, _): return "answered by \(responder.hex)"
        default: return "unexpected answer"
        }
    }
}
