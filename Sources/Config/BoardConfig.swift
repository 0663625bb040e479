/// Per-board settings: routing table sizes, storage, limits, ports, paths. Overlay-wide
/// settings (node-id-length, kinds, timers of the protocol) come from the overlay
/// configuration document, not from here. See `BoardConfigSchema` for every key.
public struct BoardConfig: Equatable {
    public enum LogLevel: Int, Comparable {
        case error = 0, warn, info, debug

        public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public enum StorageSync: Equatable {
        /// fsync on every LMDB commit.
        case everyCommit
        /// fsync on a timer.
        case periodic(intervalMilliseconds: Int)
    }

    public var target: String
    public var fingers: Int
    public var successors: Int
    public var predecessors: Int
    /// Sybil limit: neighbor and finger entries one user's nodes may take (§13.6.1).
    public var routingSlotsPerUser: Int
    public var replicationFactor: Int
    public var lmdbMapSizeBytes: Int64
    public var maximumRecords: Int
    /// Per-user quota (§13.5.2): records and bytes one user's certificate signs here.
    public var userQuotaRecords: Int
    public var userQuotaBytes: Int64
    public var maximumLinks: Int
    public var maximumHandshakes: Int
    /// The DTLS listener's limits per source (Link's `HandshakeSourceLimits`): half-open
    /// handshakes per IP address, new handshakes a minute and at once, the half-open
    /// lifetime, and the ban after an identity refusal.
    public var handshakesPerSource: Int
    public var handshakeRatePerMinute: Int
    public var handshakeBurst: Int
    public var halfOpenMilliseconds: Int
    public var identityBanMilliseconds: Int
    public var maximumTimers: Int
    public var overlayPort: Int
    public var sipPort: Int
    /// The SIP front's per-source budgets: REGISTER, and other requests outside a dialog
    /// (tokens a minute, at most at once), and how many phone addresses have one.
    public var sipRegisterRatePerMinute: Int
    public var sipRegisterBurst: Int
    public var sipRequestRatePerMinute: Int
    public var sipRequestBurst: Int
    public var sipSources: Int
    /// The Node's request budgets, per link and per user of a link's certificate (tokens a
    /// minute, at most at once), and the signature verifications a second above which new
    /// requests from others are shed.
    public var requestRatePerMinute: Int
    public var requestBurst: Int
    public var userRequestRatePerMinute: Int
    public var userRequestBurst: Int
    public var verifyBudgetPerSecond: Int
    /// Primary Stores per signing user at this peer (tokens a minute, at most at once).
    public var storeRatePerMinute: Int
    public var storeBurst: Int
    /// Misbehaviour scores: the points that ban a Node-ID (0: off), and a ban's length.
    public var misbehaviourThreshold: Int
    public var banSeconds: Int
    public var controlSocketPath: String
    public var dataDirectory: String
    public var logLevel: LogLevel
    public var storageSync: StorageSync
    /// Period of the revocation list's fetch from the enrollment server (crl-refresh-seconds).
    public var revocationRefreshSeconds: Int

    /// Every key at its default.
    public static var defaults: BoardConfig {
        // The schema's defaults are valid by construction; a test checks that they parse.
        switch parse(Array(), fileName: "(defaults)") {
        case .success(let config): return config
        case .failure(let error): fatalError("board config defaults do not parse: \(error.description)")
        }
    }

    /// Parses and validates a board configuration file's bytes.
    public static func parse(_ text: [UInt8], fileName: String) -> Result<BoardConfig, BoardConfigError> {
        do throws(BoardConfigError) {
            let entries = try KeyValueFile.parse(text, fileName: fileName)
            var values = try BoardConfigValues(entries: entries, fileName: fileName)
            let config = BoardConfig(values: &values)
            try config.checkConsistency(values)
            return .success(config)
        } catch {
            return .failure(error)
        }
    }

    init(values: inout BoardConfigValues) {
        target = values.word("target")
        fingers = values.integer("fingers")
        successors = values.integer("successors")
        predecessors = values.integer("predecessors")
        routingSlotsPerUser = values.integer("routing-slots-per-user")
        replicationFactor = values.integer("replication-factor")
        lmdbMapSizeBytes = values.size("lmdb-map-size")
        maximumRecords = values.integer("max-records")
        userQuotaRecords = values.integer("user-quota-records")
        userQuotaBytes = values.size("user-quota-bytes")
        maximumLinks = values.integer("max-links")
        maximumHandshakes = values.integer("max-handshakes")
        handshakesPerSource = values.integer("handshakes-per-source")
        handshakeRatePerMinute = values.integer("handshake-rate")
        handshakeBurst = values.integer("handshake-burst")
        halfOpenMilliseconds = values.integer("half-open-ms")
        identityBanMilliseconds = values.integer("identity-ban-ms")
        maximumTimers = values.integer("max-timers")
        overlayPort = values.integer("overlay-port")
        sipPort = values.integer("sip-port")
        sipRegisterRatePerMinute = values.integer("sip-register-rate")
        sipRegisterBurst = values.integer("sip-register-burst")
        sipRequestRatePerMinute = values.integer("sip-request-rate")
        sipRequestBurst = values.integer("sip-request-burst")
        sipSources = values.integer("sip-sources")
        requestRatePerMinute = values.integer("request-rate")
        requestBurst = values.integer("request-burst")
        userRequestRatePerMinute = values.integer("user-request-rate")
        userRequestBurst = values.integer("user-request-burst")
        verifyBudgetPerSecond = values.integer("verify-budget-per-second")
        storeRatePerMinute = values.integer("store-rate")
        storeBurst = values.integer("store-burst")
        misbehaviourThreshold = values.integer("misbehaviour-threshold")
        banSeconds = values.integer("ban-seconds")
        controlSocketPath = values.word("control-socket")
        dataDirectory = values.word("data-dir")
        switch values.word("log-level") {
        case "error": logLevel = .error
        case "warn": logLevel = .warn
        case "debug": logLevel = .debug
        default: logLevel = .info
        }
        let interval = values.integer("storage-sync-interval-ms")
        storageSync = values.word("storage-sync") == "periodic" ? .periodic(intervalMilliseconds: interval) : .everyCommit
        revocationRefreshSeconds = values.integer("crl-refresh-seconds")
        values.assertEveryKeyRead()
    }

    /// Rules that involve more than one key; the error points at the line of the later key.
    func checkConsistency(_ values: BoardConfigValues) throws(BoardConfigError) {
        if replicationFactor > successors + 1 {
            throw values.error(.inconsistent, "replication-factor",
                               "\(replicationFactor) copies need at least \(replicationFactor - 1) successors, not \(successors)")
        }
        if overlayPort == sipPort {
            throw values.error(.inconsistent, "sip-port", "same port as overlay-port (\(overlayPort))")
        }
        if target == "arm-linux-gnueabihf" && lmdbMapSizeBytes > Int64(1) << 30 {
            throw values.error(.inconsistent, "lmdb-map-size",
                               "\(BoardConfigSchema.formatSize(lmdbMapSizeBytes)) does not fit the address space of a 32-bit board (at most 1G)")
        }
        if Int(exactly: lmdbMapSizeBytes) == nil {
            throw values.error(.inconsistent, "lmdb-map-size",
                               "\(BoardConfigSchema.formatSize(lmdbMapSizeBytes)) does not fit the address space of this machine")
        }
        if maximumHandshakes > maximumLinks {
            throw values.error(.inconsistent, "max-handshakes", "\(maximumHandshakes) is more than max-links (\(maximumLinks))")
        }
        if handshakesPerSource > maximumHandshakes {
            throw values.error(.inconsistent, "handshakes-per-source",
                               "\(handshakesPerSource) is more than max-handshakes (\(maximumHandshakes))")
        }
    }
}
