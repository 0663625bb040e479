import Reload
import SIP

/// Where a phone's datagram came from, as the peer process knows it: `bytes` is the peer's
/// own key for the socket address (opaque here, handed back in `.sendToPhone`); `host` and
/// `port` are its printable form, for Via `received` and `rport` (RFC 3261 §18.2.1, RFC 3581).
public struct PhoneAddress: Hashable, Sendable {
    public let bytes: [UInt8]
    /// "192.0.2.10" or "2001:db8::1" (no brackets).
    public let host: [UInt8]
    public let port: UInt16

    public init(bytes: [UInt8], host: [UInt8], port: UInt16) {
        self.bytes = bytes
        self.host = host
        self.port = port
    }
}

/// The previous or next hop of a SIP message: a phone on the LAN or another peer of the
/// overlay (reached over an AppAttach connection, RFC 7904 §5.1, which the peer owns).
public enum SIPHop: Hashable, Sendable {
    case phone(PhoneAddress)
    case peer(NodeId)
}

/// Store our SIP-REGISTRATION value under the AOR (RFC 7904 §3: DICTIONARY keyed by the
/// peer's Node-ID). Answer with `overlayStoreCompleted(storeId:result:now:)`.
public struct RegistrationStore: Equatable, Sendable {
    public let storeId: UInt32
    public let addressOfRecord: AddressOfRecord
    public let dictionaryKey: NodeId
    /// sip_registration_route with the destination list [this peer] (RFC 7904 §3.2).
    public let value: SipRegistration
    /// The RELOAD lifetime of the value (RFC 7904 §3.1: the registration lifetime "is
    /// inherited from the lifetime attribute of the basic RELOAD StoredData structure").
    public let lifetimeSeconds: UInt32
}

/// Fetch SIP-REGISTRATION at the AOR's Resource-ID, all dictionary keys (RFC 7904 §4.2
/// step 1). Answer with `overlayLookupCompleted(lookupId:result:now:)`.
public struct RegistrationLookup: Equatable, Sendable {
    public let lookupId: UInt32
    public let addressOfRecord: AddressOfRecord
}

/// What a Fetch of SIP-REGISTRATION found.
public enum RegistrationLookupResult: Equatable, Sendable {
    /// The values stored under the AOR (any dictionary keys, already verified by the peer).
    case found([SipRegistration])
    /// The responsible peer answered: nothing is stored under the AOR.
    case notFound
    /// The overlay could not answer (no route, timeout): the callee is unreachable now.
    case unreachable
}

/// How a Store of our registration ended.
public enum RegistrationStoreResult: Equatable, Sendable {
    case stored
    /// The storing peer refused it (RFC 6940 error): answered 500 (RFC 3261 §21.5.1).
    case refused
    /// No answer from the overlay: answered 503 (RFC 3261 §21.5.4).
    case unreachable
}

public enum SIPFrontLogLevel: Int, Comparable, Sendable {
    case warn = 1, info, debug
    public static func < (lhs: SIPFrontLogLevel, rhs: SIPFrontLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the front asks the peer process to do. The front does no I/O: it returns these.
public enum SIPFrontAction: Equatable, Sendable {
    /// Send a datagram to a phone.
    case sendToPhone([UInt8], PhoneAddress)
    case storeRegistration(RegistrationStore)
    /// Remove our value (dictionary key = our Node-ID) under the AOR: a Store with
    /// exists = false (RFC 6940 §7.4.1.1). Nobody waits for its answer.
    case removeRegistration(addressOfRecord: AddressOfRecord, dictionaryKey: NodeId)
    case lookup(RegistrationLookup)
    /// Send a SIP message to another peer over the SIP connection of RFC 7904 §5 (AppAttach,
    /// application 5060). If that fails, call `overlayDeliveryFailed(toPeer:now:)`.
    case sendThroughOverlay([UInt8], toPeer: NodeId)
    case log(level: SIPFrontLogLevel, text: String)
}
