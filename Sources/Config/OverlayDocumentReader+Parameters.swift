import Wire

/// What the parameters of one configuration have shown so far.
struct ParameterState {
    /// Elements that may appear at most once, seen already (local names; both spellings of
    /// topology-plugin count as one).
    var seen: Set<String> = []
    var sawLinkProtocol = false
    var kindSignatures: [(signedBytes: [UInt8], signature: DetachedSignature?)] = []
}

extension OverlayDocumentReader {
    /// One child of `<configuration>` (§11.1.1 `parameter`).
    func readParameter(
        _ element: XMLElement, into configuration: inout OverlayConfiguration, state: inout ParameterState
    ) throws(OverlayConfigError) {
        switch element.name.namespace {
        case ConfigNamespaces.base:
            if try readListParameter(element, into: &configuration, state: &state) { return }
            try once(element, &state)
            try readSingleParameter(element, into: &configuration, state: &state)
        case ConfigNamespaces.chord:
            try once(element, &state)
            try checkAttributes(element, allowed: [])
            switch element.name.localName {
            case "chord-ping-interval": configuration.chordPingIntervalSeconds = try integer(element, in: 1...86_400 * 365)
            case "chord-update-interval": configuration.chordUpdateIntervalSeconds = try integer(element, in: 1...86_400 * 365)
            case "chord-reactive": configuration.chordReactive = try boolean(element)
            default: throw .unknownElement(element.name.qualifiedName, location(element))
            }
        case ConfigNamespaces.p2psip:
            try once(element, &state)
            try checkAttributes(element, allowed: [])
            switch element.name.localName {
            case "self-signed-work-bits":
                configuration.selfSignedWorkBits = try integer(element, in: 0...ConfigLimits.maximumSelfSignedWorkBits)
            case "self-signed-node-ids":
                configuration.selfSignedNodeIds = try integer(element, in: 1...ConfigLimits.maximumSelfSignedNodeIds)
            default:
                throw .unknownElement(element.name.qualifiedName, location(element))
            }
        case "":
            throw .unknownElement(element.name.qualifiedName + " (elements need a namespace)", location(element))
        default:
            return  // foreign-elements: another implementation's extension.
        }
    }

    /// Parameters that may appear at most once.
    func readSingleParameter(
        _ element: XMLElement, into configuration: inout OverlayConfiguration, state: inout ParameterState
    ) throws(OverlayConfigError) {
        if element.name.localName == "self-signed-permitted" {
            configuration.selfSignedPermitted = try readSelfSignedPermitted(element)
            return
        }
        if element.name.localName == "required-kinds" {
            let (kinds, signatures) = try readRequiredKinds(element)
            configuration.requiredKinds = kinds
            state.kindSignatures = signatures
            return
        }
        try checkAttributes(element, allowed: [])
        switch element.name.localName {
        case "topology-plugin", "topology-plug-in": configuration.topologyPlugin = try token(element)
        case "node-id-length": configuration.nodeIdLength = try integer(element, in: ConfigLimits.nodeIdLengthRange)
        case "turn-density": configuration.turnDensity = try integer(element, in: ConfigLimits.turnDensityRange)
        case "clients-permitted": configuration.clientsPermitted = try boolean(element)
        case "no-ice": configuration.noICE = try boolean(element)
        case "shared-secret": configuration.sharedSecret = try string(element)
        case "max-message-size": configuration.maxMessageSize = try integer(element, in: 1...Int(Int32.max))
        case "initial-ttl": configuration.initialTTL = try integer(element, in: ConfigLimits.initialTTLRange)
        case "overlay-reliability-timer":
            configuration.overlayReliabilityTimerMilliseconds = try integer(
                element, in: ConfigLimits.minimumOverlayReliabilityTimerMilliseconds...3_600_000)
        default:
            throw .unknownElement(element.name.qualifiedName, location(element))
        }
    }

    /// Parameters that may repeat; false if `element` is not one of them.
    func readListParameter(
        _ element: XMLElement, into configuration: inout OverlayConfiguration, state: inout ParameterState
    ) throws(OverlayConfigError) -> Bool {
        switch element.name.localName {
        case "root-cert":
            try checkAttributes(element, allowed: [])
            try append(try base64(element, limit: ConfigLimits.maximumTextBytes), to: &configuration.rootCertificates,
                       ConfigLimits.maximumRootCertificates, element)
        case "enrollment-server":
            try checkAttributes(element, allowed: [])
            try append(try httpsURL(element), to: &configuration.enrollmentServers, ConfigLimits.maximumEnrollmentServers, element)
        case "bootstrap-node":
            try append(try readBootstrapNode(element), to: &configuration.bootstrapNodes, ConfigLimits.maximumBootstrapNodes, element)
        case "overlay-link-protocol":
            try checkAttributes(element, allowed: [])
            if !state.sawLinkProtocol { configuration.overlayLinkProtocols = [] }
            state.sawLinkProtocol = true
            try append(try token(element), to: &configuration.overlayLinkProtocols, ConfigLimits.maximumOverlayLinkProtocols, element)
        case "kind-signer":
            try append(try nodeId(element), to: &configuration.kindSigners, ConfigLimits.maximumSigners, element)
        case "configuration-signer":
            try append(try nodeId(element), to: &configuration.configurationSigners, ConfigLimits.maximumSigners, element)
        case "bad-node":
            try append(try nodeId(element), to: &configuration.badNodes, ConfigLimits.maximumBadNodes, element)
        case "mandatory-extension":
            try checkAttributes(element, allowed: [])
            try append(try uri(element), to: &configuration.mandatoryExtensions, ConfigLimits.maximumMandatoryExtensions, element)
        default:
            return false
        }
        return true
    }

    func append<T>(_ value: T, to list: inout [T], _ limit: Int, _ element: XMLElement) throws(OverlayConfigError) {
        guard list.count < limit else {
            throw .limitExceeded("<\(element.name.localName)> elements", limit: limit, location(element))
        }
        list.append(value)
    }

    func once(_ element: XMLElement, _ state: inout ParameterState) throws(OverlayConfigError) {
        let key = element.name.localName == "topology-plug-in" ? "topology-plugin" : element.name.localName
        guard state.seen.insert(element.name.namespace + " " + key).inserted else {
            throw .duplicate(element: "configuration", what: "<\(element.name.qualifiedName)>", location(element))
        }
    }

    /// `<self-signed-permitted digest="sha1">true</self-signed-permitted>`; digest is required.
    func readSelfSignedPermitted(_ element: XMLElement) throws(OverlayConfigError) -> SelfSignedPermission {
        try checkAttributes(element, allowed: ["digest"])
        guard let digest = element.attribute("digest") else {
            throw .missing(element: "self-signed-permitted", what: "attribute digest", location(element))
        }
        guard isToken(Array(digest.value.utf8)) else {
            throw .invalidValue(element: "self-signed-permitted", attribute: "digest", reason: "not a digest name",
                                location(digest))
        }
        return SelfSignedPermission(permitted: try boolean(element), digest: digest.value)
    }

    /// `<bootstrap-node address="..." port="..."/>`: an IP address, port 1-65535 (default 6084).
    func readBootstrapNode(_ element: XMLElement) throws(OverlayConfigError) -> BootstrapNode {
        try checkAttributes(element, allowed: ["address", "port"])
        try requireNoText(element)
        guard let address = element.attribute("address") else {
            throw .missing(element: "bootstrap-node", what: "attribute address", location(element))
        }
        guard IPAddress.parse(address.value) != nil else {
            throw .invalidValue(element: "bootstrap-node", attribute: "address", reason: "not an IPv4 or IPv6 address",
                                location(address))
        }
        var node = BootstrapNode(address: address.value)
        if let port = element.attribute("port") {
            node.port = try integer(port.value, in: 1...65535, element, port)
        }
        return node
    }
}
