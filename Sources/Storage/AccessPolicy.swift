/// §7.3: who may write a value of a kind at a Resource-ID. "The hash function for the overlay"
/// is CHORD-RELOAD's (§10.2): SHA-1 truncated to the Resource-ID length (`OverlayHash`).
public enum AccessPolicy: Equatable, Sendable {
    /// §7.3.1: H(user name of the signer's certificate) = Resource-ID.
    case userMatch
    /// §7.3.2: H(Node-ID) = Resource-ID, for the Node-ID the SignerIdentity names.
    case nodeMatch
    /// §7.3.3 (dictionary kinds only): H(user name) = Resource-ID and the dictionary key is the
    /// Node-ID the SignerIdentity names.
    case userNodeMatch
    /// §7.3.4: H(Node-ID ‖ i) = Resource-ID for some i in 1...maximum (i one byte, as the
    /// TURN usage's `iteration`, §9), for the Node-ID the SignerIdentity names.
    case nodeMultiple(maximum: Int)
}
