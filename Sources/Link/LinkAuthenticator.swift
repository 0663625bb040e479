import Crypto
import Reload
import Wire

/// Who the owner of a link found at its other end: the identity the certificate chain proved,
/// checked against the overlay's trust (RFC 6940 §6.5.1.11, §11.3).
public struct AuthenticatedPeer: Equatable {
    public let nodeId: NodeId
    public let userName: String
    /// The chain as presented, kept to check it again when the revocation list changes.
    public let chain: PeerCertificateChain
    /// Whose node this is, for the routing table's Sybil limit (RFC 6940 §13.6.1-§13.6.2):
    /// the user name the overlay's CA certified; for a self-signed certificate (§11.3.1),
    /// whose user name anyone may choose, "key:" and the SHA-256 of its key in hex.
    public let owner: String

    /// `owner` nil: the user name.
    public init(nodeId: NodeId, userName: String, chain: PeerCertificateChain, owner: String? = nil) {
        self.nodeId = nodeId
        self.userName = userName
        self.chain = chain
        self.owner = owner ?? userName
    }
}

/// Why a link's certificate chain was refused. The overlay treats them all alike (the link is
/// closed, §6.5.1.11: "Otherwise, the connection MUST NOT be used"); the cases are for logs,
/// counters and tests.
public enum LinkAuthenticationRefusal: Error, Equatable {
    /// A certificate of the chain is not DER we can read, or the chain is empty.
    case malformedCertificate(String)
    /// The chain does not lead to a root of the overlay (or, in a self-signed overlay, the
    /// certificate does not meet the self-signed policy, §11.3.1).
    case untrustedRoot(IdentityRejection)
    case revoked
    case expired
    case notYetValid
    /// The certificate is for another overlay (its reload URIs name another instance).
    case wrongOverlay
    /// The certificate does not carry the Node-ID this link was opened for (§6.5.1.11).
    case nodeIdMismatch(expected: NodeId)
    /// A Node-ID of the certificate is on the overlay configuration's bad-node list (§11.1).
    case badNode
    /// The certificate carries no Node-ID we can use, or only our own.
    case noUsableNodeId
    /// The certificate is valid, but none of its Node-IDs is one this link may carry (an app
    /// connection from a peer we sent no AppAttach to).
    case unexpectedPeer(userName: String)
    /// Any other reason the overlay's identity rules refuse it (a CA certificate as identity,
    /// a malformed subjectAltName, a chain too long).
    case identity(IdentityRejection)

    public var description: String {
        switch self {
        case .malformedCertificate(let what): return "malformed certificate: \(what)"
        case .untrustedRoot(let rejection): return "untrusted: \(rejection.description)"
        case .revoked: return "certificate revoked"
        case .expired: return "certificate expired"
        case .notYetValid: return "certificate not yet valid"
        case .wrongOverlay: return "certificate of another overlay"
        case .nodeIdMismatch(let expected): return "certificate does not carry the expected Node-ID \(expected.hex)"
        case .badNode: return "Node-ID on the bad-node list"
        case .noUsableNodeId: return "no usable Node-ID (or our own)"
        case .unexpectedPeer(let user): return "\(user) is no peer this connection may carry"
        case .identity(let rejection): return rejection.description
        }
    }
}

/// The one check that binds a link's DTLS certificate chain to a Node-ID (RFC 6940
/// §6.5.1.11, §11.3), for overlay links and application connections alike: the overlay's
/// IdentityVerifier (roots or self-signed policy, validity, revocation list, bad nodes), then
/// the Node-ID the link was opened for, or, for a link the other end opened, a Node-ID of the
/// certificate that the caller accepts.
public struct LinkAuthenticator {
    public let verifier: IdentityVerifier
    public let ownNodeId: NodeId

    public init(verifier: IdentityVerifier, ownNodeId: NodeId) {
        self.verifier = verifier
        self.ownNodeId = ownNodeId
    }

    /// `expected`: the Node-ID the other end must prove (we opened the link for it); nil:
    /// the first Node-ID of the certificate for which `accepts` is true.
    public func authenticate(
        _ chain: PeerCertificateChain, expected: NodeId?, now: CertificateTime, accepts: (NodeId) -> Bool = { _ in true }
    ) -> Result<AuthenticatedPeer, LinkAuthenticationRefusal> {
        var certificates: [Certificate] = []
        do throws(CryptoError) {
            for der in chain.certificates { certificates.append(try Certificate(der: der)) }
        } catch {
            return .failure(.malformedCertificate(error.description))
        }
        guard !certificates.isEmpty else { return .failure(.malformedCertificate("no certificate")) }
        let verified: VerifiedIdentity
        do throws(CryptoError) {
            if let expected {
                verified = try verifier.verify(chain: certificates, nodeId: expected.bytes, now: now)
            } else {
                verified = try verifier.verify(chain: certificates, now: now)
            }
        } catch {
            return .failure(LinkAuthenticator.refusal(error, expected: expected))
        }
        let candidates = verified.nodeIds.compactMap { NodeId(bytes: $0) }.filter { $0 != ownNodeId }
        let nodeId: NodeId
        if let expected {
            guard expected != ownNodeId else { return .failure(.noUsableNodeId) }
            nodeId = expected
        } else {
            guard !candidates.isEmpty else { return .failure(.noUsableNodeId) }
            guard let accepted = candidates.first(where: accepts) else { return .failure(.unexpectedPeer(userName: verified.userName)) }
            nodeId = accepted
        }
        return .success(AuthenticatedPeer(nodeId: nodeId, userName: verified.userName, chain: chain, owner: verified.owner))
    }

    /// The identity check again, for a link that is up (after the revocation list changed).
    public func recheck(_ peer: AuthenticatedPeer, now: CertificateTime) -> LinkAuthenticationRefusal? {
        if case .failure(let refusal) = authenticate(peer.chain, expected: peer.nodeId, now: now) { return refusal }
        return nil
    }

    static func refusal(_ error: CryptoError, expected: NodeId?) -> LinkAuthenticationRefusal {
        guard case .rejected(let rejection) = error else { return .malformedCertificate(error.description) }
        switch rejection {
        case .revoked: return .revoked
        case .expired: return .expired
        case .notYetValid: return .notYetValid
        case .badNode: return .badNode
        case .otherOverlay: return .wrongOverlay
        case .nodeIdNotInCertificate: return expected.map { .nodeIdMismatch(expected: $0) } ?? .noUsableNodeId
        case .notTrusted, .selfSignedNotPermitted, .selfSignedNodeIdMismatch, .selfSignedSignatureInvalid, .insufficientWork:
            return .untrustedRoot(rejection)
        case .chainLength, .authorityAsIdentity, .malformedIdentity: return .identity(rejection)
        }
    }
}
