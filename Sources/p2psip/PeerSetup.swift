import Config
import Crypto
import Enrollment
import Link
import Node
import Peer
import Platform
import Reload
import Storage
import Wire

/// Everything `p2psip peer` loads before its loop starts, each piece checked, every failure
/// naming the file or option: the board configuration, the identity directory (key,
/// certificate, root, overlay configuration, optional revocation list) and the addresses.
struct PeerSetup {
    var board: BoardConfig
    var identityPath: String
    var overlay: OverlayConfiguration
    var identity: NodeIdentity
    var verifier: IdentityVerifier
    var listen: SocketAddress
    /// Where other peers reach us: our No-ICE candidate (RFC 6940 §6.5.1.11).
    var advertise: IpAddressPort
    var bootstrap: [IpAddressPort]
    var first: Bool
    var controlPath: String
    var keyLogPath: String?
    var logLevel: LogLevel
    var dataDirectory: String
    /// The SIP front (`--sip-accounts`), or nil.
    var sip: PeerSIPSetup?
    /// Where the revocation list is fetched (GET /crl of the enrollment server), or nil and
    /// `revocationSourceAbsent` says why.
    var revocationSource: PeerRevocationSource? = nil
    var revocationSourceAbsent = ""

    static let revocationListFile = "crl.der"
    static let maximumConfigurationBytes = ConfigLimits.maximumDocumentBytes
    static let maximumRevocationListBytes = 1 << 20

    /// The board configuration: a file, or the name of a built-in one (`p2psip config show`).
    static func board(_ name: String?) throws(CommandFailure) -> BoardConfig {
        guard let name else { return BoardConfig.defaults }
        let text: [UInt8]
        if let builtin = BuiltinBoardConfigs.all.first(where: { $0.name == name }), !FileSystem.exists(name) {
            text = Array(builtin.text.utf8)
        } else {
            do throws(PlatformError) {
                text = try FileSystem.readFile(name, maximumBytes: KeyValueFile.maximumFileBytes)
            } catch {
                throw .usage("--config: \(error.description)")
            }
        }
        switch BoardConfig.parse(text, fileName: name) {
        case .success(let config): return config
        case .failure(let error): throw .usage(error.description)
        }
    }

    /// The overlay configuration in DIR: signed by a configuration signer chaining to the root
    /// (enrolled identities, RFC 6940 §11.1), or unsigned for a self-signed overlay (§11.3.1),
    /// which then has no root-cert.pem.
    static func overlayConfiguration(_ directory: IdentityDirectory) throws(CommandFailure) -> (OverlayConfiguration, IdentityVerifier) {
        let file = directory.file(IdentityDirectory.configuration)
        let signed: SignedConfiguration
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(file, maximumBytes: maximumConfigurationBytes)
        } catch {
            throw .failed(error.description)
        }
        do throws(OverlayConfigError) {
            signed = try EnrollCommand.select(try OverlayDocument.parse(bytes), overlay: nil)
        } catch {
            throw .failed("\(file): \(error.description)")
        }
        let configuration = signed.configuration
        let verifier: IdentityVerifier
        do throws(EnrollmentError) {
            verifier = try OverlayTrust.verifier(for: configuration)
        } catch {
            throw .failed("\(file): \(error.description)")
        }
        let hasRoot = FileSystem.exists(directory.file(IdentityDirectory.rootCertificate))
        if hasRoot || !signed.signatures.isEmpty {
            if hasRoot {
                let root = try CADirectory(path: directory.path).certificate(IdentityDirectory.rootCertificate)
                guard configuration.rootCertificates.contains(root.der) else {
                    throw .failed("\(file): the configuration does not list \(directory.file(IdentityDirectory.rootCertificate)) among its root-certs")
                }
            }
            do throws(CryptoError) {
                try EnrollCommand.verifySignatures(signed, verifier: verifier)
            } catch {
                throw .failed("\(file): \(error.description)")
            }
        }
        guard configuration.topologyPlugin == "CHORD-RELOAD", configuration.nodeIdLength == NodeConfiguration.nodeIdLength else {
            throw .failed("\(file): this peer runs CHORD-RELOAD with 16-byte Node-IDs (the configuration has \(configuration.topologyPlugin), \(configuration.nodeIdLength))")
        }
        return (configuration, verifier)
    }

    /// Installs DIR/crl.der when present (signed by an overlay root, never older than the
    /// current one). Absent is fine: revocation needs an enrollment server.
    static func loadRevocationList(_ directory: IdentityDirectory, into verifier: IdentityVerifier) throws(CommandFailure) -> Bool {
        let file = directory.file(revocationListFile)
        guard FileSystem.exists(file) else { return false }
        do throws(CryptoError) {
            let bytes: [UInt8]
            do throws(PlatformError) {
                bytes = try FileSystem.readFile(file, maximumBytes: maximumRevocationListBytes)
            } catch {
                throw .malformed(error.description)
            }
            try verifier.setRevocationList(try RevocationList(der: bytes))
        } catch {
            throw .failed("\(file): \(error.description)")
        }
        return true
    }

    /// Our key and certificate, checked as any peer will check them: the chain, the validity,
    /// the Node-ID bound to the certificate.
    static func nodeIdentity(_ directory: IdentityDirectory, verifier: IdentityVerifier) throws(CommandFailure) -> NodeIdentity {
        let files = CADirectory(path: directory.path)
        let key = try files.key(IdentityDirectory.key)
        let certificate = try files.certificate(IdentityDirectory.certificate)
        do throws(CryptoError) {
            let verified = try verifier.verify(chain: [certificate], now: Clock.wallNow().civilTime)
            guard let first = verified.nodeIds.first, let nodeId = NodeId(bytes: first) else {
                throw .malformed("no Node-ID")
            }
            return NodeIdentity(nodeId: nodeId, certificateChain: [certificate.der], privateKey: key, userName: verified.userName)
        } catch {
            throw .failed("\(directory.file(IdentityDirectory.certificate)): not valid in this overlay: \(error.description)")
        }
    }

    static func logLevel(_ level: BoardConfig.LogLevel) -> LogLevel {
        switch level {
        case .error: return .error
        case .warn: return .warn
        case .info: return .info
        case .debug: return .debug
        }
    }

    /// The core's settings (the SIP usage's are added once its sockets are bound, `Peer`).
    var coreConfiguration: PeerCoreConfiguration {
        PeerCoreConfiguration(
            node: nodeConfiguration, advertise: advertise, bootstrap: bootstrap, maximumLinks: board.maximumLinks,
            maximumHandshakes: board.maximumHandshakes, keyLog: keyLogPath != nil, handshakeSourceLimits: handshakeSourceLimits)
    }

    /// The board's per-source handshake limits (RFC 6347 §4.2.1 cookies first); the schema's
    /// ranges keep them within `HandshakeSourceLimits.problem`'s.
    var handshakeSourceLimits: HandshakeSourceLimits {
        HandshakeSourceLimits(
            halfOpenPerSource: board.handshakesPerSource, handshakeBurst: board.handshakeBurst,
            handshakeRefillMilliseconds: UInt64(max(1, 60_000 / board.handshakeRatePerMinute)),
            halfOpenLifetimeMilliseconds: UInt64(board.halfOpenMilliseconds), banMilliseconds: UInt64(board.identityBanMilliseconds))
    }

    /// The board's request budgets and the signature load above which requests are shed
    /// (the Node's RequestAdmission); the schema's ranges are within TokenBucketTable's.
    static func applyRequestBudgets(_ board: BoardConfig, to node: inout NodeConfiguration) {
        node.requestsPerMinute = board.requestRatePerMinute
        node.requestBurst = board.requestBurst
        node.userRequestsPerMinute = board.userRequestRatePerMinute
        node.userRequestBurst = board.userRequestBurst
        node.verificationsPerSecond = board.verifyBudgetPerSecond
        node.storesPerMinute = board.storeRatePerMinute
        node.storeBurst = board.storeBurst
        node.misbehaviour.threshold = board.misbehaviourThreshold
        node.misbehaviour.banMilliseconds = UInt64(board.banSeconds) * 1000
    }

    /// The Node's settings: the overlay's protocol parameters and the board's table sizes.
    var nodeConfiguration: NodeConfiguration {
        var node = NodeConfiguration(overlayName: overlay.instanceName)
        node.configurationSequence = UInt16(truncatingIfNeeded: overlay.sequence ?? 0)
        node.initialTTL = UInt8(clamping: overlay.initialTTL)
        node.maxMessageSize = overlay.maxMessageSize
        node.reliabilityTimerMilliseconds = UInt64(max(200, overlay.overlayReliabilityTimerMilliseconds))
        node.updateIntervalMilliseconds = UInt64(max(1, overlay.chordUpdateIntervalSeconds)) * 1000
        node.fingerRefreshIntervalMilliseconds = UInt64(max(1, overlay.chordPingIntervalSeconds)) * 1000
        node.reactiveRecovery = overlay.chordReactive
        node.successors = board.successors
        node.predecessors = board.predecessors
        node.fingers = board.fingers
        node.routingSlotsPerUser = board.routingSlotsPerUser
        node.replicationFactor = board.replicationFactor
        node.maximumLinks = board.maximumLinks
        PeerSetup.applyRequestBudgets(board, to: &node)
        node.mayStartOverlay = first
        // §11.1 required-kinds: what the overlay stores; definitions we cannot enforce stay unknown.
        node.kinds = StorageKinds.configured(overlay.requiredKinds).kinds
        node.storageQuota.recordsPerPeer = UInt64(max(1, board.maximumRecords))
        node.storageQuota.recordsPerUser = UInt64(max(1, board.userQuotaRecords))
        node.storageQuota.bytesPerUser = UInt64(max(1, board.userQuotaBytes))
        #if P2PSIP_TEST_MODES
        // Test builds: P2PSIP_TEST_NOT_FOUND_USERS, a comma-separated list of user names whose
        // peers answer not-found for what they should forward.
        if let users = ProcessControl.environment("P2PSIP_TEST_NOT_FOUND_USERS"),
            users.split(separator: ",").contains(where: { String($0) == identity.userName })
        {
            node.testMisbehaviour = .notFoundWhenForwarding
        }
        #endif
        return node
    }
}
