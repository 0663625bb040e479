import Crypto
import Link
import Node
import Platform
import Reload
import SIP
import SIPFront
import Wire

// The SIP front of the peer (RFC 7904): phones' datagrams to the front, the front's actions
// to sockets, to the Node (Store, Fetch, AppAttach) and to the SIP connections between peers
// (Peer+AppLinks), and the Node's answers back to the front.
extension Peer {
    func readPhoneDatagrams(_ sip: PeerSIP) {
        for _ in 0..<Peer.maximumDatagramsPerWakeUp {
            let received: UDPSocket.Received
            do throws(PlatformError) {
                received = try sip.phoneSocket.receive(into: &receiveBuffer)
            } catch {
                log(.warn, "SIP socket: \(error.description)")
                return
            }
            switch received {
            case .none: return
            case .truncated(let from): log(.debug, "SIP datagram from \(from.description) larger than \(receiveBuffer.count) bytes dropped")
            case .datagram(let count, let from):
                sip.counters.phoneDatagramsIn += 1
                let bytes = Array(receiveBuffer[0..<count])
                if !PeerSIP.isResponse(bytes) { log(.debug, "SIP from phone \(from.description): \(PeerSIP.firstLine(bytes))") }
                performSIP(sip.front.receive(datagram: bytes, from: PeerSIP.phone(from), now: PeerSIP.seconds()))
            }
        }
    }

    func performSIP(_ actions: [SIPFrontAction]) {
        guard let sip else { return }
        for action in actions {
            switch action {
            case .sendToPhone(let bytes, let phone):
                guard let address = PeerSIP.socketAddress(phone) else { continue }
                if !PeerSIP.isResponse(bytes) { sipEvent("SIP to phone \(address.description): \(PeerSIP.firstLine(bytes))") }
                sip.counters.phoneDatagramsOut += 1
                do throws(PlatformError) {
                    _ = try sip.phoneSocket.send(bytes, to: address)
                } catch {
                    log(.debug, "SIP to \(address.description): \(error.description)")
                }
            case .storeRegistration(let store): storeRegistration(store)
            case .removeRegistration(let addressOfRecord, let key): removeRegistration(addressOfRecord, key: key)
            case .lookup(let lookup): lookupRegistration(lookup)
            case .sendThroughOverlay(let bytes, let peer): sendThroughOverlay(bytes, to: peer)
            case .log(let level, let text):
                if level == .debug { log(.debug, text) } else { sipEvent(text, level: level == .warn ? .warn : .info) }
            }
        }
    }

    /// RFC 7904 §3: our SipRegistration (a route to this peer) under the AOR, dictionary key
    /// our Node-ID, signed by us (USER-NODE-MATCH, §3.3; PeerSIPSetup).
    func storeRegistration(_ store: RegistrationStore) {
        let encoded: [UInt8]
        do throws(WireError) {
            encoded = try store.value.encoded()
        } catch {
            performSIP(sip?.front.overlayStoreCompleted(storeId: store.storeId, result: .refused, now: PeerSIP.seconds()) ?? [])
            return
        }
        let value = StoredDataValue.dictionary(DictionaryEntry(key: store.dictionaryKey.bytes, value: DataValue(value: encoded)))
        let resource = store.addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let (handle, actions) = node.store(
            resource: resource, kind: .sipRegistration, values: [value], lifetimeSeconds: store.lifetimeSeconds, now: Peer.time())
        sipEvent("SIP: storing the registration of \(store.addressOfRecord.text) (Resource-ID \(Hex.encode(resource.bytes)), "
            + "SIP-REGISTRATION key \(store.dictionaryKey.hex), lifetime \(store.lifetimeSeconds) s)")
        sipRequests[handle] = .store(storeId: store.storeId, addressOfRecord: store.addressOfRecord.text)
        perform(actions)
    }

    /// §7.4.1.3: a nonexistent value removes ours.
    func removeRegistration(_ addressOfRecord: AddressOfRecord, key: NodeId) {
        let value = StoredDataValue.dictionary(DictionaryEntry(key: key.bytes, value: .nonexistent))
        let resource = addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let (handle, actions) = node.store(
            resource: resource, kind: .sipRegistration, values: [value], lifetimeSeconds: Peer.removalLifetimeSeconds, now: Peer.time())
        sipEvent("SIP: removing the registration of \(addressOfRecord.text)")
        sipRequests[handle] = .remove(addressOfRecord: addressOfRecord.text)
        perform(actions)
    }

    /// How long the removal marker of a registration is kept (it only has to outlive the
    /// value it replaces in caches; the value itself is gone at once).
    static let removalLifetimeSeconds: UInt32 = 600

    /// RFC 7904 §4.2 step 1: "Perform a Fetch for Kind SIP-REGISTRATION at the Resource-ID
    /// corresponding to the AOR. This Fetch SHOULD NOT indicate any dictionary keys".
    func lookupRegistration(_ lookup: RegistrationLookup) {
        let resource = lookup.addressOfRecord.resourceId(nodeIdLength: NodeConfiguration.nodeIdLength)
        let specifier = StoredDataSpecifier(kind: .sipRegistration, generation: 0, modelSpecifier: .dictionary(keys: []))
        let (handle, actions) = node.fetch(resource: resource, specifiers: [specifier], now: Peer.time())
        sip?.counters.lookups += 1
        sipEvent("SIP: looking up \(lookup.addressOfRecord.text) (Fetch SIP-REGISTRATION at \(Hex.encode(resource.bytes)))")
        sipRequests[handle] = .lookup(lookupId: lookup.lookupId, addressOfRecord: lookup.addressOfRecord.text)
        perform(actions)
    }

    /// A Node request the SIP front started has finished.
    func sipCompleted(_ handle: RequestHandle, _ result: RequestResult) {
        guard let request = sipRequests.removeValue(forKey: handle), let sip else { return }
        let now = PeerSIP.seconds()
        switch request {
        case .store(let storeId, let name):
            let outcome: RegistrationStoreResult
            switch result {
            case .stored(let responder, let answer):
                let replicas = answer.kindResponses.first?.replicas.map { $0.hex } ?? []
                sipEvent("SIP: registration of \(name) stored at \(responder.hex), replicas: \(replicas.isEmpty ? "none" : replicas.joined(separator: " "))")
                sip.counters.registrationsStored += 1
                outcome = .stored
            case .error(let code, let text):
                log(.warn, "SIP: the overlay refused the registration of \(name): \(code.rfcName) (\(text))")
                sip.counters.registrationsRefused += 1
                outcome = .refused
            default:
                log(.warn, "SIP: registration of \(name) not stored: \(Peer.resultText(result))")
                outcome = .unreachable
            }
            performSIP(sip.front.overlayStoreCompleted(storeId: storeId, result: outcome, now: now))
        case .remove(let name):
            sipEvent("SIP: removal of the registration of \(name): \(Peer.resultText(result))")
        case .lookup(let lookupId, let name):
            let found = Peer.lookupResult(result, codec: node.configuration.codec)
            switch found {
            case .found(let values):
                let peers = values.compactMap { value -> String? in
                    if case .route(_, let destinations) = value, case .node(let peer)? = destinations.last { return peer.hex }
                    return nil
                }
                sipEvent("SIP: \(name) is registered at peer \(peers.joined(separator: ", ")) (\(Peer.resultText(result)))")
            case .notFound:
                sip.counters.lookupsNotFound += 1
                sipEvent("SIP: \(name) has no registration (\(Peer.resultText(result)))")
            case .unreachable:
                sipEvent("SIP: lookup of \(name) failed: \(Peer.resultText(result))")
            }
            performSIP(sip.front.overlayLookupCompleted(lookupId: lookupId, result: found, now: now))
        case .appAttach(let peer):
            appAttachCompleted(peer, result)
        }
    }

    /// What a Fetch of SIP-REGISTRATION found (values verified by the Node, §7.4.2.2).
    static func lookupResult(_ result: RequestResult, codec: CodecConfiguration) -> RegistrationLookupResult {
        guard case .fetched(_, let answer, _, _) = result else { return .unreachable }
        var values: [SipRegistration] = []
        for response in answer.kindResponses where response.kind == .sipRegistration {
            for stored in response.values.values ?? [] where stored.value.dataValue.exists {
                if let value = try? SipRegistration.decode(bytes: stored.value.dataValue.value, codec) { values.append(value) }
            }
        }
        return values.isEmpty ? .notFound : .found(values)
    }

    static func resultText(_ result: RequestResult) -> String {
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

    /// A SIP event: logged, and kept for `sip-events` (the demo shows them; bounded).
    func sipEvent(_ text: String, level: LogLevel = .info) {
        log(level, text)
        guard let sip else { return }
        sip.eventCount += 1
        sip.events.append("\(sip.eventCount) \(Clock.wallMillisecondsSinceEpoch()) \(text)")
        if sip.events.count > PeerSIP.eventCapacity { sip.events.removeFirst(sip.events.count - PeerSIP.eventCapacity) }
    }

    /// The front's timers (whole seconds).
    func sipTick() {
        guard let sip else { return }
        let now = PeerSIP.seconds()
        if let deadline = sip.front.nextDeadline, deadline <= now { performSIP(sip.front.tick(now: now)) }
        expireAttaches(Peer.time().monotonic)
    }

    func sipSleepMilliseconds(_ now: Instant) -> UInt64? {
        guard let sip else { return nil }
        var wait: UInt64? = nil
        if let deadline = sip.front.nextDeadline {
            let seconds = PeerSIP.seconds()
            wait = deadline <= seconds ? 0 : UInt64(deadline - seconds) * 1000
        }
        for deadline in [sip.appLinks.nextDeadline, sip.attaching.values.min()] {
            guard let deadline else { continue }
            wait = min(wait ?? UInt64.max, now.millisecondsUntil(deadline))
        }
        return wait
    }
}
