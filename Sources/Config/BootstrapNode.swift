/// `<bootstrap-node address="..." port="..."/>` (§11.1): an IPv4 or IPv6 address, port
/// default 6084.
public struct BootstrapNode: Equatable {
    public var address: String
    public var port: Int

    public init(address: String, port: Int = ConfigLimits.defaultBootstrapPort) {
        self.address = address
        self.port = port
    }

    /// The address as 4 or 16 bytes (validated when parsed).
    public var addressBytes: [UInt8]? { IPAddress.parse(address) }
}
