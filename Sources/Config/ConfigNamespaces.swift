/// XML namespaces of the overlay configuration document.
public enum ConfigNamespaces {
    /// RFC 6940 §11.1: the base elements.
    public static let base = "urn:ietf:params:xml:ns:p2p:config-base"
    /// RFC 6940 §11.1: the CHORD-RELOAD parameters.
    public static let chord = "urn:ietf:params:xml:ns:p2p:config-chord"
    /// p2psip's own extension elements (a foreign namespace to other implementations, which
    /// ignore it, §11.1.1 foreign-elements): self-signed-work-bits, self-signed-node-ids.
    public static let p2psip = "urn:p2psip:params:xml:ns:config-ext1"
}
