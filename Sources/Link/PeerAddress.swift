/// A peer's transport address as opaque bytes (e.g. family, IP address and port as Platform
/// encodes them): the key of the connection table and the DTLS client transport id that
/// HelloVerifyRequest cookies are bound to (RFC 6347 §4.2.1). Link does no I/O, so it never
/// needs to know what the bytes mean, only that equal addresses have equal bytes.
public struct PeerAddress: Hashable, Sendable {
    public let bytes: [UInt8]

    /// nil when empty or longer than `LinkLimits.maximumPeerAddressBytes`.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty && bytes.count <= LinkLimits.maximumPeerAddressBytes else { return nil }
        self.bytes = bytes
    }
}
