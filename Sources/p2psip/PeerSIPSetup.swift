import Config
import Crypto
import Node
import Platform
import Reload
import SIP
import SIPFront
import SIPUsage
import Wire

/// The SIP front's settings of `p2psip peer` (RFC 7904 over RFC 3261), each checked before
/// the loop starts: `--sip-accounts FILE` turns the front on; `--sip ADDR:PORT` is where
/// phones send (default: the overlay address's host and the board's sip-port); `--app-port
/// PORT` is the UDP port of the SIP connections between peers (AppAttach, RFC 6940 §6.5.2;
/// default any free port).
///
/// Accounts and RFC 7904: a peer stores a SIP-REGISTRATION "under its own AOR" (§3.1), with
/// USER-NODE-MATCH (§3.3): the certificate that signs the value and the StoreReq must carry
/// the AOR as its user name and the dictionary key as its Node-ID. So the phones a peer
/// registers are those of the peer's own overlay user: a peer enrolled as alice serves
/// sip:alice@OVERLAY (any number of phones of hers), and every account in the file must be
/// that user. A household with several users runs a peer per user (one process each, on
/// one router if need be).
struct PeerSIPSetup {
    var phoneListen: SocketAddress
    /// Our address as phones reach it: the host and port of our Via and Record-Route.
    var phoneHost: String
    var appListen: SocketAddress
    /// The host of our AppAttach candidate (the port is the bound one).
    var appAdvertiseHost: SocketAddress
    var accountsPath: String
    var accounts: [SIPAccount]
    /// `--sip-digest`: the Digest algorithms offered, preferred first (RFC 8760 §2.4).
    var digestAlgorithms: [DigestAlgorithm]
    /// The front's per-source budgets, from the board's sip-* keys.
    var budgets: SIPFrontBudgets

    /// What the core's SIP usage is told, once the sockets are bound.
    func usageConfiguration(_ peer: PeerSetup, sockets: PeerSIPSockets) -> SIPUsageConfiguration {
        SIPUsageConfiguration(
            domain: peer.overlay.instanceName, phoneHost: phoneHost, phonePort: sockets.phoneAddress.port,
            phonesListening: sockets.phoneAddress.description, accounts: accounts, digestAlgorithms: digestAlgorithms,
            appCandidate: sockets.appCandidate, keyLog: peer.keyLogPath != nil, frontBudgets: budgets)
    }

    /// The board's sip-* budget keys (their ranges are SIPFrontLimits's: a test holds them).
    static func budgets(_ board: BoardConfig) -> SIPFrontBudgets {
        var budgets = SIPFrontBudgets()
        budgets.registerRatePerMinute = board.sipRegisterRatePerMinute
        budgets.registerBurst = board.sipRegisterBurst
        budgets.requestRatePerMinute = board.sipRequestRatePerMinute
        budgets.requestBurst = board.sipRequestBurst
        budgets.sourceTableCapacity = board.sipSources
        return budgets
    }

    static func load(
        _ options: CommandOptions, board: BoardConfig, overlay: OverlayConfiguration, identity: NodeIdentity, listen: SocketAddress,
        advertise: SocketAddress
    ) throws(CommandFailure) -> PeerSIPSetup? {
        guard let accountsPath = options.value("--sip-accounts") else {
            for option in ["--sip", "--app-port", "--sip-digest"] where options.value(option) != nil {
                throw .usage("\(option) needs --sip-accounts FILE (the SIP front runs only with accounts)")
            }
            return nil
        }
        let accounts = try readAccounts(accountsPath, overlay: overlay, identity: identity)
        let defaultHost = listen.isIPv6 ? "[\(listen.hostText)]" : listen.hostText
        let phoneListen = try CAInitCommand.address(options.value("--sip") ?? "\(defaultHost):\(board.sipPort)", option: "--sip")
        let appPort = UInt16(try options.integer("--app-port", in: 0...65535, default: 0))
        let wildcard = !phoneListen.addressBytes.contains { $0 != 0 }
        let phoneHost = wildcard ? advertise.hostText : phoneListen.hostText
        let appListen: SocketAddress = listen.isIPv6 ? .v6(address: listen.addressBytes, port: appPort) : .v4(address: listen.addressBytes, port: appPort)
        guard phoneListen.port != listen.port || phoneListen.addressBytes != listen.addressBytes else {
            throw .usage("--sip \(phoneListen.description) is the overlay port: SIP needs a port of its own")
        }
        return PeerSIPSetup(
            phoneListen: phoneListen, phoneHost: phoneHost, appListen: appListen, appAdvertiseHost: advertise,
            accountsPath: accountsPath, accounts: accounts.map { $0.account },
            digestAlgorithms: try digestAlgorithms(options.value("--sip-digest") ?? "sha256,md5"), budgets: budgets(board))
    }

    /// "sha256,md5" (the default: RFC 8760's preference), "md5,sha256" (for phones that read
    /// only the first challenge and know only MD5, such as sipsak), "md5" or "sha256".
    static func digestAlgorithms(_ text: String) throws(CommandFailure) -> [DigestAlgorithm] {
        var algorithms: [DigestAlgorithm] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let algorithm: DigestAlgorithm
            switch word {
            case "sha256", "sha-256", "SHA-256": algorithm = .sha256
            case "md5", "MD5": algorithm = .md5
            default: throw .usage("--sip-digest '\(text)': a list of sha256 and md5, preferred first (e.g. sha256,md5)")
            }
            guard !algorithms.contains(algorithm) else { throw .usage("--sip-digest '\(text)': \(word) twice") }
            algorithms.append(algorithm)
        }
        return algorithms
    }

    /// The accounts file, each account checked against our identity (above).
    static func readAccounts(_ path: String, overlay: OverlayConfiguration, identity: NodeIdentity) throws(CommandFailure) -> [SIPAccountsFile.Entry] {
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(path, maximumBytes: SIPAccountsFile.maximumFileBytes + 1)
        } catch {
            throw .usage("--sip-accounts: \(error.description)")
        }
        let entries: [SIPAccountsFile.Entry]
        do throws(SIPAccountsFile.Problem) {
            entries = try SIPAccountsFile.parse(bytes, domain: Array(overlay.instanceName.utf8))
        } catch {
            throw .usage(error.description(file: path))
        }
        for entry in entries where entry.account.addressOfRecord.text != identity.userName {
            let user = String(decoding: entry.account.username, as: UTF8.self)
            throw .usage(
                "\(path):\(entry.line): user '\(user)' is not this peer's overlay user '\(identity.userName)': RFC 7904 §3.3 "
                    + "(USER-NODE-MATCH) lets a peer register only its own user; run a peer enrolled as '\(user)' for that account")
        }
        return entries
    }
}
