import Reload
import SIP
import SIPFront

/// What the SIP usage of a peer is told at start (the executable reads it from the command
/// line and the accounts file, `PeerSIPSetup`).
public struct SIPUsageConfiguration {
    /// The overlay's SIP domain (its instance name) and the front's settings but the secret,
    /// which the usage draws at start.
    public var domain: String
    /// Our address as phones reach it (the host of our Via and Record-Route) and its port.
    public var phoneHost: String
    public var phonePort: UInt16
    /// The phones' socket as bound ("0.0.0.0:5060"), for `status`.
    public var phonesListening: String
    public var accounts: [SIPAccount]
    /// The Digest algorithms offered, preferred first (RFC 8760 §2.4).
    public var digestAlgorithms: [DigestAlgorithm]
    /// Our AppAttach candidate: where other peers open SIP connections to us (No-ICE,
    /// RFC 6940 §6.5.1.11).
    public var appCandidate: IpAddressPort
    /// Write NSS key log lines of the SIP connections (`--keylog`).
    public var keyLog: Bool
    /// The front's per-source budgets (the board's sip-* keys).
    public var frontBudgets: SIPFrontBudgets

    public init(
        domain: String, phoneHost: String, phonePort: UInt16, phonesListening: String, accounts: [SIPAccount], digestAlgorithms: [DigestAlgorithm],
        appCandidate: IpAddressPort, keyLog: Bool, frontBudgets: SIPFrontBudgets = SIPFrontBudgets()
    ) {
        self.domain = domain
        self.phoneHost = phoneHost
        self.phonePort = phonePort
        self.phonesListening = phonesListening
        self.accounts = accounts
        self.digestAlgorithms = digestAlgorithms
        self.appCandidate = appCandidate
        self.keyLog = keyLog
        self.frontBudgets = frontBudgets
    }
}
