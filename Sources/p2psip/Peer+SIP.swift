import Node
import Reload

// The SIP front of the peer (RFC 7904): phones on the SIP socket, registrations in the
// overlay, SIP between peers over AppAttach connections (Peer+AppLinks).
extension Peer {
    /// An AppAttach we answered: the application connection to open (Peer+AppLinks).
    func openAppLink(_ application: UInt16, peer: NodeId, address: IpAddressPort) {
        log(.debug, "AppAttach \(application) from \(peer.hex) at \(address.text): no application socket")
    }

    /// A Node request the SIP front started has finished.
    func sipCompleted(_ handle: RequestHandle, _ result: RequestResult) {
        sipRequests[handle] = nil
    }
}
