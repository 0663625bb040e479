import Wire

/// Writes overlay configuration documents (RFC 6940 §11.1) that OverlayDocument.parse reads
/// back to equal values: every parameter is written, defaults included.
///
/// Signing (§11.1) works on exact bytes, so the writer hands them out in pieces:
/// `kindElement` (what a kind-signature covers), `configurationElement` (what a signature
/// covers; it embeds the kind elements byte for byte), and `document`, which puts signed
/// configuration elements and their signatures into an `<overlay>`.
public enum OverlayConfigurationWriter {
    /// An unsigned document of `configurations`.
    public static func document(_ configurations: [OverlayConfiguration]) -> [UInt8] {
        return document(configurations.map { (configurationElement($0), nil) })
    }

    /// `<?xml ...?><overlay ...>` around configuration elements, each followed by its
    /// `<signature>` when there is one.
    public static func document(_ entries: [(configurationElement: [UInt8], signature: DetachedSignature?)]) -> [UInt8] {
        var out = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
        out += Array("<overlay xmlns=\"\(ConfigNamespaces.base)\"\n".utf8)
        out += Array("    xmlns:chord=\"\(ConfigNamespaces.chord)\"\n".utf8)
        out += Array("    xmlns:p2psip=\"\(ConfigNamespaces.p2psip)\">\n".utf8)
        for entry in entries {
            out += Array("  ".utf8) + entry.configurationElement + [0x0A]
            if let signature = entry.signature {
                out += Array("  ".utf8) + signatureElement("signature", signature) + [0x0A]
            }
        }
        out += Array("</overlay>\n".utf8)
        return out
    }

    /// The `<configuration>` element, from "<" to ">" (indented for a place two spaces in).
    /// `kindSignatures[i]`, when given, is written as the kind-signature of requiredKinds[i].
    public static func configurationElement(
        _ configuration: OverlayConfiguration, kindSignatures: [DetachedSignature?] = []
    ) -> [UInt8] {
        var attributes = " instance-name=\"\(escape(configuration.instanceName, attribute: true))\""
        if let sequence = configuration.sequence { attributes += " sequence=\"\(sequence)\"" }
        if let expiresAtSeconds = configuration.expiresAtSeconds {
            attributes += " expiration=\"\(InternetTime.format(expiresAtSeconds))\""
        }
        var body = scalarParameters(configuration) + listParameters(configuration)
        if !configuration.requiredKinds.isEmpty {
            body += "    <required-kinds>\n"
            for (index, kind) in configuration.requiredKinds.enumerated() {
                body += "      <kind-block>\n        " + String(decoding: kindElement(kind), as: UTF8.self) + "\n"
                if index < kindSignatures.count, let signature = kindSignatures[index] {
                    body += "        " + String(decoding: signatureElement("kind-signature", signature), as: UTF8.self) + "\n"
                }
                body += "      </kind-block>\n"
            }
            body += "    </required-kinds>\n"
        }
        return Array(("<configuration" + attributes + ">\n" + body + "  </configuration>").utf8)
    }

    static func scalarParameters(_ configuration: OverlayConfiguration) -> String {
        var body = element("topology-plugin", configuration.topologyPlugin)
        body += element("node-id-length", "\(configuration.nodeIdLength)")
        if let permission = configuration.selfSignedPermitted {
            body += "    <self-signed-permitted digest=\"\(escape(permission.digest, attribute: true))\">"
                + "\(permission.permitted)</self-signed-permitted>\n"
        }
        body += element("turn-density", "\(configuration.turnDensity)")
        body += element("clients-permitted", "\(configuration.clientsPermitted)")
        body += element("no-ice", "\(configuration.noICE)")
        body += element("chord:chord-update-interval", "\(configuration.chordUpdateIntervalSeconds)")
        body += element("chord:chord-ping-interval", "\(configuration.chordPingIntervalSeconds)")
        body += element("chord:chord-reactive", "\(configuration.chordReactive)")
        if let secret = configuration.sharedSecret { body += element("shared-secret", secret) }
        body += element("max-message-size", "\(configuration.maxMessageSize)")
        body += element("initial-ttl", "\(configuration.initialTTL)")
        body += element("overlay-reliability-timer", "\(configuration.overlayReliabilityTimerMilliseconds)")
        // Written whenever self-signed mode is configured, defaults included: a reader that
        // predates a default (p2psip before the 20-bit one read absence as 0) reads the same.
        if configuration.selfSignedPermitted != nil
            || configuration.selfSignedWorkBits != OverlayConfiguration.defaultSelfSignedWorkBits
        {
            body += element("p2psip:self-signed-work-bits", "\(configuration.selfSignedWorkBits)")
        }
        if configuration.selfSignedPermitted != nil
            || configuration.selfSignedNodeIds != OverlayConfiguration.defaultSelfSignedNodeIds
        {
            body += element("p2psip:self-signed-node-ids", "\(configuration.selfSignedNodeIds)")
        }
        return body
    }

    static func listParameters(_ configuration: OverlayConfiguration) -> String {
        var body = ""
        for certificate in configuration.rootCertificates {
            body += "    <root-cert>\n" + wrapped(Base64.encode(certificate), indent: "      ") + "    </root-cert>\n"
        }
        for server in configuration.enrollmentServers { body += element("enrollment-server", server) }
        for node in configuration.bootstrapNodes {
            body += "    <bootstrap-node address=\"\(escape(node.address, attribute: true))\" port=\"\(node.port)\"/>\n"
        }
        for protocolName in configuration.overlayLinkProtocols { body += element("overlay-link-protocol", protocolName) }
        for signer in configuration.configurationSigners { body += element("configuration-signer", Hex.encode(signer)) }
        for signer in configuration.kindSigners { body += element("kind-signer", Hex.encode(signer)) }
        for node in configuration.badNodes { body += element("bad-node", Hex.encode(node)) }
        for namespace in configuration.mandatoryExtensions { body += element("mandatory-extension", namespace) }
        return body
    }

    /// The `<kind>` element, from "<" to ">" (what its kind-signature covers, §11.1).
    public static func kindElement(_ kind: KindDefinition) -> [UInt8] {
        var text: String
        switch kind.identifier {
        case .name(let name): text = "<kind name=\"\(escape(name, attribute: true))\">\n"
        case .id(let id): text = "<kind id=\"\(id)\">\n"
        }
        let inner = "          "
        text += inner + "<data-model>\(escape(kind.dataModel.name, attribute: false))</data-model>\n"
        text += inner + "<access-control>\(escape(kind.accessControl.name, attribute: false))</access-control>\n"
        text += inner + "<max-count>\(kind.maxCount)</max-count>\n"
        text += inner + "<max-size>\(kind.maxSize)</max-size>\n"
        if let multiple = kind.maxNodeMultiple { text += inner + "<max-node-multiple>\(multiple)</max-node-multiple>\n" }
        return Array((text + "        </kind>").utf8)
    }

    static func signatureElement(_ name: String, _ signature: DetachedSignature) -> [UInt8] {
        let algorithm = signature.algorithm.map { " algorithm=\"\(escape($0, attribute: true))\"" } ?? ""
        return Array("<\(name)\(algorithm)>\(Base64.encode(signature.value))</\(name)>".utf8)
    }

    static func element(_ name: String, _ value: String) -> String {
        return "    <\(name)>\(escape(value, attribute: false))</\(name)>\n"
    }

    static func wrapped(_ text: String, indent: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var index = 0
        while index < bytes.count {
            let end = min(index + 64, bytes.count)
            out += indent + String(decoding: bytes[index..<end], as: UTF8.self) + "\n"
            index = end
        }
        return out
    }

    /// Escapes markup characters; in attributes also quotes and the whitespace that attribute
    /// normalisation would turn into spaces; CR everywhere (line-end normalisation).
    static func escape(_ text: String, attribute: Bool) -> String {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out += Array("&quot;".utf8)
            case 0x0D: out += Array("&#13;".utf8)
            case 0x0A where attribute: out += Array("&#10;".utf8)
            case 0x09 where attribute: out += Array("&#9;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
