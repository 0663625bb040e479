import Reload
import SIP
import Wire

extension SIPFront {
    /// The overlay answered a `.lookup` (RFC 7904 §4.2): forward to the peer the AOR is
    /// registered at, to our own phone if that peer is us, or answer the caller.
    public mutating func overlayLookupCompleted(lookupId: UInt32, result: RegistrationLookupResult, now: WallTime) -> [SIPFrontAction] {
        guard let index = transactions.index(id: lookupId), case .lookingUp(let addressOfRecord, let dereferences) = transactions[index].state
        else { return [log(.debug, "lookup result for no waiting request")] }
        switch result {
        case .unreachable:
            return fail(index, 480, "Temporarily Unavailable", now: now)
        case .notFound:
            return fail(index, 404, "Not Found", now: now)
        case .found(let values):
            return resolve(index, addressOfRecord, values, dereferences: dereferences, now: now)
        }
    }

    /// §4.2 steps 2 and 3: destination lists name peers (the terminal entry is the peer to
    /// connect to, §5.1); an AOR value is looked up in turn, a bounded number of times.
    mutating func resolve(
        _ index: Int, _ addressOfRecord: AddressOfRecord, _ values: [SipRegistration], dereferences: Int, now: WallTime
    ) -> [SIPFrontAction] {
        var peers: [NodeId] = []
        var aliases: [AddressOfRecord] = []
        for value in values.prefix(ReloadLimits.destinations) {
            switch value {
            case .route(_, let destinations):
                if case .node(let peer)? = destinations.last, !peers.contains(peer) { peers.append(peer) }
            case .uri(let text):
                if let alias = SIPFront.addressOfRecord(text) { aliases.append(alias) }
            case .unknown:
                continue
            }
        }
        if peers.contains(configuration.nodeId), let binding = registrations.newestBinding(of: addressOfRecord, now: now) {
            return forward(index, to: .phone(binding.source), requestURI: binding.contact.uri, routes: [])
        }
        if let peer = peers.first(where: { $0 != configuration.nodeId }) {
            return forward(index, to: .peer(peer), requestURI: transactions[index].target, routes: [])
        }
        if let alias = aliases.first, dereferences < SIPFrontLimits.maximumDereferences {
            // §16.5 retargeting: the request now goes to the AOR the registration names.
            transactions[index].target = SIPURI(user: alias.user, host: alias.host)
            transactions[index].state = .lookingUp(alias, dereferences: dereferences + 1)
            return [.lookup(RegistrationLookup(lookupId: transactions[index].id, addressOfRecord: alias))]
        }
        if peers.contains(configuration.nodeId) { return fail(index, 480, "Temporarily Unavailable", now: now) }
        return fail(index, 404, "Not Found", now: now)
    }

    /// A sip_registration_uri value: an AOR without scheme (RFC 7904 §2), or with one.
    static func addressOfRecord(_ text: [UInt8]) -> AddressOfRecord? {
        let hasScheme = text.starts(with: Array("sip:".utf8)) || text.starts(with: Array("sips:".utf8))
        guard let uri = try? SIPURI.parse(hasScheme ? text : Array("sip:".utf8) + text, field: "SipRegistration.uri") else { return nil }
        return try? AddressOfRecord(uri: uri, field: "SipRegistration.uri")
    }

    /// The peer could not reach `peer` (AppAttach or the SIP connection failed): requests
    /// sent there without a final response are answered 480 (RFC 3261 §21.4.18).
    public mutating func overlayDeliveryFailed(toPeer peer: NodeId, now: WallTime) -> [SIPFrontAction] {
        var actions: [SIPFrontAction] = []
        for index in transactions.indices where transactions[index].downstream == .peer(peer) && transactions[index].state == .forwarded {
            actions += fail(index, 480, "Temporarily Unavailable (peer unreachable)", now: now)
        }
        return actions
    }
}

extension AddressOfRecord {
    /// The user and host of the resource name "user@host" (split at the last "@").
    var user: [UInt8] {
        guard let at = resourceName.lastIndex(of: UInt8(ascii: "@")) else { return resourceName }
        return Array(resourceName[..<at])
    }

    var host: [UInt8] {
        guard let at = resourceName.lastIndex(of: UInt8(ascii: "@")) else { return [] }
        return Array(resourceName[(at + 1)...])
    }
}
