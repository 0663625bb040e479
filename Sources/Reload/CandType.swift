/// §6.5.1.1 CandType with its select: host(1) has no related address; srflx(2) and relay(4)
/// carry rel_addr_port. 3 is RESERVED and, like 0 and unknown values, not accepted (the
/// presence of rel_addr_port could not be known).
public enum CandType: Equatable, Sendable {
    case host
    case srflx(relAddrPort: IpAddressPort)
    case relay(relAddrPort: IpAddressPort)

    public var rawValue: UInt8 {
        switch self {
        case .host: return 1
        case .srflx: return 2
        case .relay: return 4
        }
    }

    public var name: String {
        switch self {
        case .host: return "host"
        case .srflx: return "srflx"
        case .relay: return "relay"
        }
    }

    public var relAddrPort: IpAddressPort? {
        switch self {
        case .host: return nil
        case .srflx(let address), .relay(let address): return address
        }
    }
}
