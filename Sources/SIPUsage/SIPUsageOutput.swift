import Link
import Node
import SIPFront

/// What the SIP usage asks its owner (the peer core) to do, in order.
public enum SIPUsageOutput: Equatable {
    /// A SIP message for a phone, from the phones' socket.
    case toPhone([UInt8], PhoneAddress)
    /// A datagram of an application connection to another peer, from the SIP connections'
    /// socket (DTLS records, RFC 6940 §6.5.2; RFC 7904 §5.1).
    case toPeer([UInt8], PeerAddress)
    /// The Node's actions of a request the usage started (Store, Fetch, AppAttach).
    case node([NodeAction])
    case log(LogLevel, String)
    /// An NSS key log line of an application connection.
    case keyLog(String)
}
