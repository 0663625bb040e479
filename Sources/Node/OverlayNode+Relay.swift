import Chord
import Crypto
import Reload
import Signing
import Storage
import Wire

// Requests of a client of this peer (RFC 6940 §3.2.1: a client "does not route"; its messages
// enter the overlay through a peer). `p2psip put --identity DIR` is such a client: it signs a
// StoreReq with the user's key as a whole RELOAD message whose via list names the user's
// Node-ID, as if the user's node had sent it to us, and hands it to this peer over the control
// socket. §7.3 holds the signer of a non-replica StoreReq to the kind's access policy as well
// as the values' signer, so only such a message can write a user's USER-MATCH or
// USER-NODE-MATCH records through a peer of someone else.
//
// This peer checks the message as a first hop would (well-formed, our overlay, signed by the
// Node-ID in its via list with a certificate of this overlay), sends it on unchanged, keeps it
// for end-to-end retransmission (§6.2.1, same bytes) and takes the answer, which comes back
// along the via list to the client's Node-ID (§6.2.2), as its own.
extension OverlayNode {
    /// Sends a client's signed StoreReq (`bytes`, a whole message) into the overlay; its result
    /// arrives as `.completed(handle, .stored …)` or the error.
    public func relay(_ bytes: [UInt8], now: NodeTime) -> (RequestHandle, [NodeAction]) {
        let handle = newHandle()
        switch checkedClientRequest(bytes, now: now) {
        case .failure(let problem):
            outbox.append(.completed(handle, .failed(problem.text)))
        case .success(let (message, client)):
            let transactionId = message.header.transactionId
            // Kept as ours: retransmitted with the client's bytes, its answers to the client's
            // Node-ID end here (`Transactions.isRelaying`).
            guard
                let pending = transactions.begin(
                    transactionId, purpose: .relay(handle, client: client), message: bytes,
                    destination: message.header.destinationList, firstLink: nil, now: now.monotonic)
            else {
                let text =
                    transactions.isFull
                    ? "this peer is overloaded: \(transactions.capacity) requests under way, try again later"
                    : "a request with this transaction id is under way"
                outbox.append(.completed(handle, .failed(text)))
                return (handle, drain())
            }
            transmitRequest(pending, now: now)
        }
        return (handle, drain())
    }

    struct RelayProblem: Error {
        let text: String
    }

    /// A client's StoreReq as its first hop checks it: decodes within our limits, belongs to
    /// our overlay, goes to one Resource-ID, names its sender as the only via entry, and is
    /// signed (§6.3.4) by a certificate of this overlay that holds that Node-ID.
    func checkedClientRequest(_ bytes: [UInt8], now: NodeTime) -> Result<(Message, NodeId), RelayProblem> {
        let message: Message
        do throws(ReloadError) {
            message = try Message.decode(bytes, codec)
        } catch {
            return .failure(RelayProblem(text: "the signed request is malformed: " + error.description))
        }
        let header = message.header
        guard header.overlay == configuration.overlayHash else {
            return .failure(RelayProblem(text: "the request is for another overlay"))
        }
        guard case .storeRequest = message.contents.body else {
            return .failure(RelayProblem(text: "only a StoreReq is relayed (\(message.contents.code.rfcName) given)"))
        }
        guard header.destinationList.count == 1, case .resource = header.destinationList[0], header.viaList.count == 1,
            case .node(let client) = header.viaList[0], client.length == NodeConfiguration.nodeIdLength
        else {
            return .failure(RelayProblem(text: "the request must go to one Resource-ID with the sender's Node-ID as its via list"))
        }
        guard let der = message.securityBlock.certificate(for: message.securityBlock.signature.identity),
            let signer = verifiedSigner(of: message, certificateDER: der, now: now)
        else {
            return .failure(RelayProblem(text: "the request's signature or certificate does not verify in this overlay"))
        }
        guard signer.nodeIds.contains(client.bytes) else {
            return .failure(RelayProblem(text: "the signer's certificate does not hold the via list's Node-ID \(client.hex)"))
        }
        return .success((message, client))
    }
}
