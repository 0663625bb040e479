import Crypto
import Reload
import SIP
import Wire

extension SIPFront {
    mutating func newId() -> UInt32 {
        lastId &+= 1
        if lastId == 0 { lastId = 1 }
        return lastId
    }

    /// RFC 3261 §8.1.1.7, §16.6 step 8: "z9hG4bK" and a value unique over space and time:
    /// a MAC of a counter under a key new at every start.
    mutating func newBranch() -> [UInt8] {
        branchCounter &+= 1
        var writer = ByteWriter()
        writer.writeBytes(Array("branch".utf8))
        writer.writeUInt64(branchCounter)
        let code = HMACSHA256.authenticationCode(key: identifierKey, message: writer.bytes)
        return SIPLimits.branchMagicCookie + Array(Hex.encode(code.prefix(12)).utf8)
    }

    /// The To tag of our responses to one request (RFC 3261 §8.2.6.2, §19.3): derived from
    /// its branch and Call-ID, so every response of the transaction carries the same tag.
    func tag(branch: [UInt8], _ request: SIPMessage) -> [UInt8] {
        let code = HMACSHA256.authenticationCode(key: identifierKey, message: Array("tag".utf8) + branch + [0] + request.callId)
        return Array(Hex.encode(code.prefix(8)).utf8)
    }

    /// The Via we put on a request we forward (RFC 3261 §16.6 step 8).
    func ourVia(branch: [UInt8]) -> SIPVia {
        return SIPVia(
            transport: Array("UDP".utf8), host: configuration.host, port: configuration.port,
            parameters: [SIPParameter(name: Array("branch".utf8), value: branch)])
    }

    /// RFC 3261 §16.6 step 4: a URI that resolves to us, with `lr` (loose routing, §19.1.1)
    /// and our Node-ID, so that the peers of a dialog know which of them it names.
    var recordRoute: SIPNameAddress {
        let parameters = [SIPParameter(name: Array("lr".utf8), value: nil), SIPParameter(name: Array("node".utf8), value: nodeHex)]
        return SIPNameAddress(uri: SIPURI(host: configuration.host, port: configuration.port, parameters: parameters))
    }

    /// RFC 3261 §16.4: "If the first value in the Route header field indicates this proxy":
    /// our Record-Route (by Node-ID; two peers may share a LAN address), or our address as a
    /// phone's outbound proxy setting writes it.
    func isOurs(_ uri: SIPURI) -> Bool {
        if let node = uri.parameters.value("node") { return node.map(SIPFront.lowercased) == nodeHex }
        return uri.user == nil && uri.host == configuration.host && (uri.port ?? 5060) == (configuration.port ?? 5060)
    }

    /// The peer a Route value of another front names (its `node` parameter).
    static func nodeParameter(_ uri: SIPURI) -> NodeId? {
        guard let value = uri.parameters.value("node"), let bytes = Hex.decode(value) else { return nil }
        return NodeId(bytes: bytes)
    }

    /// A request for the front itself (RFC 3261 §11: OPTIONS to a server): no user, and our
    /// domain or our address.
    func isAddressedToUs(_ uri: SIPURI) -> Bool {
        return uri.user == nil && (uri.host == configuration.domain || isOurs(uri) || isOurAddress(uri))
    }

    /// Our own address as a domain: a phone set up with the peer's address as its SIP domain
    /// (the overlay's name is in no DNS) registers and calls user@ADDRESS[:PORT]. RFC 3261
    /// §10.3 step 1 lets a registrar decide which domains it has bindings for; we treat our
    /// host as an alias of the overlay domain, as registrars' domain aliases do, whatever the
    /// port (peers sharing a host serve the same overlay; some phones drop the port).
    func isOurAddress(_ uri: SIPURI) -> Bool {
        return uri.host == configuration.host
    }

    /// The URI with an alias host (our address) replaced by the overlay domain, without the
    /// port: what the address of record is made from (RFC 3261 §10.3 step 5 canonicalization).
    func inOverlayDomain(_ uri: SIPURI) -> SIPURI {
        guard uri.host != configuration.domain, isOurAddress(uri) else { return uri }
        var canonical = uri
        canonical.host = configuration.domain
        canonical.port = nil
        return canonical
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        return byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
