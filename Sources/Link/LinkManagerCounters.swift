/// What a LinkManager did with links and with datagrams no link took.
public struct LinkManagerCounters: Equatable, Sendable {
    /// Links started by `connect`, and links started by peers (accepted by the listener).
    public var linksConnected: UInt64 = 0
    public var linksAccepted: UInt64 = 0
    public var linksEstablished: UInt64 = 0
    /// Links removed after `failed` and after `closed`.
    public var linksFailed: UInt64 = 0
    public var linksClosed: UInt64 = 0
    /// `connect` calls refused: max-links, max-handshakes, or a link to that address exists.
    public var connectsRefused: UInt64 = 0
    /// Datagrams from addresses without a link dropped because max-links links exist.
    public var droppedLinkTableFull: UInt64 = 0
    /// Records of type ClientHello for a linked address that do not parse as one, dropped
    /// (mbedTLS would end an established session on them).
    public var malformedClientHellosDropped: UInt64 = 0
    /// Simultaneous opens: our handshake kept (theirs dropped), or ours yielded to theirs.
    public var simultaneousOpensKept: UInt64 = 0
    public var simultaneousOpensYielded: UInt64 = 0
    /// Links replaced by a new handshake from the same address (the peer restarted), and new
    /// handshakes from a linked address that did not complete (the link stayed).
    public var linksReplaced: UInt64 = 0
    public var successorHandshakesFailed: UInt64 = 0
    /// Handshakes ended inside by the certificate check (`checkCertificatesDuringHandshake`):
    /// the peer's address is banned as after `refuse`.
    public var certificatesRefusedInHandshake: UInt64 = 0

    public init() {}
}
