/// Limits of the control interface (the local socket of `p2psip status`, `put`, `batch`).
public enum ControlLimits {
    /// One request line. A relayed request carries a signed StoreReq (at most max-message-size,
    /// 5000 bytes in our overlays) in hex.
    public static let maximumRequestBytes = 16_384
}
