import Reload
import SIP

/// What a SIP front is told at start: who it is in the overlay, how phones reach it, its
/// accounts, and the capacities of its tables.
public struct SIPFrontConfiguration: Sendable {
    /// The overlay's SIP domain: requests for sip:user@domain are resolved in the overlay.
    public var domain: [UInt8]
    /// The digest realm (RFC 3261 §22.1); the domain unless set.
    public var realm: [UInt8]
    /// Our address as phones reach it ("192.168.1.1"): the sent-by of our Via and the host of
    /// our Record-Route.
    public var host: [UInt8]
    public var port: UInt16?
    /// The peer's Node-ID: the dictionary key of our SIP-REGISTRATION values (RFC 7904 §3.2)
    /// and the mark on our Record-Route (so every peer can tell whose route entry it is).
    public var nodeId: NodeId
    /// At least 16 random bytes, new at every start: digest nonces, Via branches, tags.
    public var secret: [UInt8]
    public var accounts: [SIPAccount]
    /// The Digest algorithms offered, most preferred first (RFC 8760 §2.4: one challenge each,
    /// in order). Some phones read only the first challenge: MD5 first for those.
    public var digestAlgorithms: [DigestAlgorithm] = [.sha256, .md5]
    public var registrationCapacity: Int
    public var transactionCapacity: Int
    public var answeredCapacity: Int
    /// Per-source token buckets for REGISTER, and for INVITE and the other requests outside a
    /// dialog.
    public var budgets = SIPFrontBudgets()

    public init(
        domain: [UInt8], host: [UInt8], port: UInt16? = nil, nodeId: NodeId, secret: [UInt8], accounts: [SIPAccount],
        realm: [UInt8]? = nil, registrationCapacity: Int = SIPFrontLimits.defaultRegistrationCapacity,
        transactionCapacity: Int = SIPFrontLimits.defaultTransactionCapacity,
        answeredCapacity: Int = SIPFrontLimits.defaultAnsweredCapacity
    ) {
        self.domain = domain
        self.realm = realm ?? domain
        self.host = host
        self.port = port
        self.nodeId = nodeId
        self.secret = secret
        self.accounts = accounts
        self.registrationCapacity = registrationCapacity
        self.transactionCapacity = transactionCapacity
        self.answeredCapacity = answeredCapacity
    }

    /// Checks what a caller could get wrong (a bug, not input): crashes with the reason.
    func validate() {
        precondition(!domain.isEmpty && !host.isEmpty, "a SIP front needs its domain and host")
        precondition(secret.count >= SIPLimits.minimumNonceSecretBytes, "the front's secret has at least 128 bits")
        precondition(accounts.count <= SIPFrontLimits.accountCapacity, "too many SIP accounts")
        precondition(registrationCapacity > 0 && transactionCapacity > 0 && answeredCapacity > 0)
        precondition(!digestAlgorithms.isEmpty, "at least one Digest algorithm")
        budgets.validate()
        for (index, account) in accounts.enumerated() {
            precondition(!accounts[..<index].contains { $0.username == account.username }, "SIP account user names are unique")
        }
    }
}
