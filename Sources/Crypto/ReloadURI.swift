import Wire

/// The reload URI of a peer, as certificates carry Node-IDs (RFC 6940 §11.3, §14.15).
///
/// RFC 6940 §14.15:
///
///     RELOAD-URI = "reload://" destination "@" overlay "/" [specifier]
///     destination = 1*HEXDIG
///     overlay = reg-name
///     specifier = 1*HEXDIG
///
/// `destination` is a hex-encoded Destination List (§6.3.2.2). In a certificate (§11.3) it
/// MUST hold a single entry of type node (1) whose length is the overlay's node-id-length, and
/// there is no specifier (the URI names a peer, not a stored value).
public enum ReloadURI {
    static let scheme: [UInt8] = Array("reload://".utf8)

    /// `reload://01<length><node-id>@<overlay>/`, lowercase hex.
    public static func peer(nodeId: [UInt8], overlay: String) -> String {
        precondition(!nodeId.isEmpty && nodeId.count < 128)
        let destination = [CryptoLimits.destinationTypeNode, UInt8(nodeId.count)] + nodeId
        return "reload://" + Hex.encode(destination) + "@" + overlay + "/"
    }

    /// The Node-ID of a peer URI of `overlay` with `nodeIdLength`-byte Node-IDs; throws
    /// `.rejected(.malformedIdentity)` naming what is wrong.
    public static func nodeId(
        fromPeerURI uri: String, overlay: String, nodeIdLength: Int
    ) throws(CryptoError) -> [UInt8] {
        let text = Array(uri.utf8)
        guard text.count <= scheme.count + 2 * (2 + nodeIdLength) + 2 + CryptoLimits.maximumOverlayNameBytes,
            text.count > scheme.count, lowercasedASCII(Array(text[0..<scheme.count])) == scheme
        else { throw malformed("not a reload:// URI") }
        let rest = text[scheme.count...]
        guard let at = rest.firstIndex(of: UInt8(ascii: "@")) else { throw malformed("reload URI without @") }
        let destination = try destinationList(Array(rest[rest.startIndex..<at]))
        let afterAt = rest[(at + 1)...]
        guard afterAt.last == UInt8(ascii: "/") else {
            throw malformed("reload URI of a peer must end with / and have no specifier")
        }
        let overlayPart = Array(afterAt.dropLast())
        guard !overlayPart.contains(UInt8(ascii: "/")) else {
            throw malformed("reload URI of a peer must have no specifier")
        }
        guard isRegName(overlayPart) else { throw malformed("overlay part of reload URI is not a reg-name") }
        guard lowercasedASCII(overlayPart) == lowercasedASCII(Array(overlay.utf8)) else {
            throw .rejected(.otherOverlay)
        }
        return try singleNode(destination, nodeIdLength: nodeIdLength)
    }

    /// `destination = 1*HEXDIG`, decoded.
    static func destinationList(_ hex: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard !hex.isEmpty, hex.count % 2 == 0, hex.allSatisfy(isHexDigit), let bytes = Hex.decode(hex) else {
            throw malformed("destination of reload URI is not an even number of hex digits")
        }
        return bytes
    }

    /// §6.3.2.2 and §11.3: exactly one Destination, of type node, `length` = node-id-length.
    static func singleNode(_ destination: [UInt8], nodeIdLength: Int) throws(CryptoError) -> [UInt8] {
        guard destination.count >= 2 else { throw malformed("destination list shorter than one entry") }
        // A first byte with the top bit set is the 16-bit opaque_id form, never a node.
        guard destination[0] == CryptoLimits.destinationTypeNode else {
            throw malformed("destination type \(destination[0]) is not node (1)")
        }
        guard Int(destination[1]) == nodeIdLength else {
            throw malformed("node destination of \(destination[1]) bytes, overlay uses \(nodeIdLength)")
        }
        guard destination.count == 2 + nodeIdLength else {
            throw malformed("destination list holds more than one entry")
        }
        return Array(destination[2...])
    }

    static func isHexDigit(_ character: UInt8) -> Bool {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }

    /// RFC 3986 reg-name = *( unreserved / pct-encoded / sub-delims ); we refuse pct-encoded
    /// (overlay names are DNS names) and the empty name.
    static func isRegName(_ text: [UInt8]) -> Bool {
        guard !text.isEmpty, text.count <= CryptoLimits.maximumOverlayNameBytes else { return false }
        let subDelimiters = Array("!$&'()*+,;=".utf8)
        let unreservedPunctuation = Array("-._~".utf8)
        return text.allSatisfy { character in
            isAlphanumeric(character) || unreservedPunctuation.contains(character) || subDelimiters.contains(character)
        }
    }

    static func isAlphanumeric(_ character: UInt8) -> Bool {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return false
        }
    }

    static func lowercasedASCII(_ text: [UInt8]) -> [UInt8] {
        return text.map { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) ? $0 | 0x20 : $0 }
    }

    static func malformed(_ what: String) -> CryptoError {
        return .rejected(.malformedIdentity(what))
    }
}
