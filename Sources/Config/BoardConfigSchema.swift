/// The schema of a board configuration file (`board-configs/NAME.conf`): every key with its
/// type, range, default and meaning. The parser, `p2psip config keys` and the README's key
/// table all come from this one list.
public enum BoardConfigSchema {
    public enum ValueType: Equatable, Sendable {
        /// A decimal integer in a closed range.
        case integer(ClosedRange<Int>)
        /// A byte count, decimal with an optional binary suffix K, M, G or T (KiB...TiB).
        /// 64-bit on every target, so that a 32-bit board reads a 64-bit board's file.
        case size(ClosedRange<Int64>)
        /// One word of a fixed list.
        case choice([String])
        /// An absolute file system path of at most the given number of bytes.
        case absolutePath(maximumBytes: Int)
    }

    public struct Key: Sendable {
        public let name: String
        public let type: ValueType
        public let defaultValue: String
        public let meaning: String
    }

    static let mebibyte: Int64 = 1 << 20
    static let tebibyte: Int64 = 1 << 40

    /// Target triples we build board binaries for (cross/build).
    public static let targets = ["x86_64-linux-gnu", "aarch64-linux-gnu", "arm-linux-gnueabihf"]

    public static let keys: [Key] = [
        Key(name: "target", type: .choice(targets), defaultValue: "x86_64-linux-gnu",
            meaning: "target triple of the board binary (cross/build host, aarch64 or armv7)"),
        Key(name: "fingers", type: .integer(16...128), defaultValue: "16",
            meaning: "finger table entries (RFC 6940 §10.7.4: at least 16, may grow to 128)"),
        Key(name: "successors", type: .integer(3...32), defaultValue: "3",
            meaning: "successor list length (RFC 6940 §10.7: at least 3)"),
        Key(name: "predecessors", type: .integer(3...32), defaultValue: "3",
            meaning: "predecessor list length (RFC 6940 §10.7: at least 3)"),
        Key(name: "routing-slots-per-user", type: .integer(2...128), defaultValue: "2",
            meaning: "Sybil limit (RFC 6940 §13.6.1): neighbor entries (successors and predecessors together), and apart finger entries, that the nodes of one user (self-signed: one key) may take; 128 means no limit"),
        Key(name: "replication-factor", type: .integer(1...8), defaultValue: "3",
            meaning: "copies of each record, the responsible peer's included (RFC 6940 §10.4: 3); at most successors + 1"),
        Key(name: "lmdb-map-size", type: .size(mebibyte...tebibyte), defaultValue: "64M",
            meaning: "LMDB map size: the most the record store may occupy on disk and in address space (at most 1G on 32-bit targets)"),
        Key(name: "max-records", type: .integer(16...100_000_000), defaultValue: "100000",
            meaning: "records this peer stores, replicas included; Stores beyond are refused"),
        Key(name: "user-quota-records", type: .integer(1...100_000_000), defaultValue: "1000",
            meaning: "records one user's certificate may sign among those this peer stores, replicas included (RFC 6940 §13.5.2); more are refused with Error_Data_Too_Large"),
        Key(name: "user-quota-bytes", type: .size(1024...tebibyte), defaultValue: "1M",
            meaning: "bytes of such records per user (as stored: value, times, signature)"),
        Key(name: "max-links", type: .integer(4...4096), defaultValue: "64",
            meaning: "DTLS links to other peers at once (the connection table)"),
        Key(name: "max-handshakes", type: .integer(1...1024), defaultValue: "16",
            meaning: "DTLS handshakes in progress at once (half-open links); more are dropped"),
        // The DTLS listener's per-host limits (LinkLimits has the same defaults): checked only
        // after a valid cookie (RFC 6347 §4.2.1), so spoofed ClientHellos cost nothing.
        Key(name: "handshakes-per-source", type: .integer(1...1024), defaultValue: "4",
            meaning: "half-open DTLS handshakes one IP address may hold at once; at most max-handshakes"),
        Key(name: "handshake-rate", type: .integer(1...60_000), defaultValue: "240",
            meaning: "new DTLS handshakes a minute from one IP address (after its handshake-burst)"),
        Key(name: "handshake-burst", type: .integer(1...1024), defaultValue: "8",
            meaning: "new DTLS handshakes one IP address may start at once before handshake-rate applies"),
        Key(name: "half-open-ms", type: .integer(1000...60_000), defaultValue: "5000",
            meaning: "a DTLS handshake whose cookie was accepted and that has not completed this long fails and frees its slot"),
        Key(name: "identity-ban-ms", type: .integer(0...86_400_000), defaultValue: "60000",
            meaning: "after its certificate was refused, an address (IP and port) may start no DTLS handshake this long; 0: no ban"),
        Key(name: "max-timers", type: .integer(64...65536), defaultValue: "1024",
            meaning: "timers the event loop holds at once; at the limit new timers are refused and counted"),
        Key(name: "overlay-port", type: .integer(1...65535), defaultValue: "6084",
            meaning: "UDP port of the overlay link (DTLS); 6084 is RELOAD's registered port"),
        Key(name: "sip-port", type: .integer(1...65535), defaultValue: "5060",
            meaning: "UDP port of the SIP front for phones"),
        // The SIP front's per-source budgets (SIPFrontLimits has the same defaults and ranges):
        // over budget a phone address is answered 503 with Retry-After (RFC 3261 §21.5.4).
        Key(name: "sip-register-rate", type: .integer(1...6000), defaultValue: "20",
            meaning: "REGISTERs a minute one phone address may send to the SIP front (a refresh is two: challenge and answer)"),
        Key(name: "sip-register-burst", type: .integer(1...1000), defaultValue: "10",
            meaning: "REGISTERs one phone address may send at once before sip-register-rate applies"),
        Key(name: "sip-request-rate", type: .integer(1...6000), defaultValue: "60",
            meaning: "INVITEs and other requests outside a dialog a minute from one phone address"),
        Key(name: "sip-request-burst", type: .integer(1...1000), defaultValue: "20",
            meaning: "such requests one phone address may send at once before sip-request-rate applies"),
        Key(name: "sip-sources", type: .integer(16...65536), defaultValue: "256",
            meaning: "phone addresses the SIP front keeps a budget for; at the limit the least recently seen is forgotten"),
        // The Node's request budgets and load shedding (NodeConfiguration has the same
        // defaults): checked before a request's signature is verified (RFC 6940 §6.3.4);
        // refused requests are answered Error_Request_Timeout ("try again later", §6.3.3.1).
        Key(name: "request-rate", type: .integer(1...6000), defaultValue: "6000",
            meaning: "requests a minute one link may send to this peer itself (after its request-burst); maintenance from a neighbor (Update, Ping, replica Stores) has its own budget"),
        Key(name: "request-burst", type: .integer(1...10_000), defaultValue: "200",
            meaning: "requests one link may send at once before request-rate applies"),
        Key(name: "user-request-rate", type: .integer(1...6000), defaultValue: "6000",
            meaning: "requests a minute the links of one user (one certificate user name; self-signed: one key) may send together"),
        Key(name: "user-request-burst", type: .integer(1...10_000), defaultValue: "400",
            meaning: "requests the links of one user may send at once before user-request-rate applies"),
        Key(name: "verify-budget-per-second", type: .integer(10...100_000), defaultValue: "200",
            meaning: "message signature verifications in the last second above which new requests from other peers are refused (1.5-2.7 ms of CPU each on a Cortex-A53)"),
        Key(name: "store-rate", type: .integer(1...6000), defaultValue: "60",
            meaning: "Stores a minute one user (the signer of the request, whatever the path; self-signed: one key) may make at this peer, after its store-burst; replicas and hand-offs are not counted"),
        Key(name: "store-burst", type: .integer(1...10_000), defaultValue: "60",
            meaning: "Stores one user may make at once before store-rate applies"),
        // Misbehaviour scores and bans (MisbehaviourLimits has the same defaults).
        Key(name: "misbehaviour-threshold", type: .integer(0...10_000), defaultValue: "100",
            meaning: "points that ban a Node-ID (every Node-ID of its user: twice as many): an answer from a forwarder that fails RFC 6940 check 2 is 25, a bad signature 40, a route without answer 5; a point fades every 6 s; 0 turns scoring and bans off"),
        Key(name: "ban-seconds", type: .integer(10...86_400), defaultValue: "600",
            meaning: "how long a ban lasts: the banned Node-ID's links are closed and refused, and it is no route"),
        Key(name: "control-socket", type: .absolutePath(maximumBytes: 107), defaultValue: "/run/p2psip/control.sock",
            meaning: "Unix socket of the local control interface (owner-only), for status, put and get"),
        Key(name: "data-dir", type: .absolutePath(maximumBytes: 1024), defaultValue: "/var/lib/p2psip",
            meaning: "directory of the LMDB record store and runtime state; created (mode 0700) if missing"),
        Key(name: "log-level", type: .choice(["error", "warn", "info", "debug"]), defaultValue: "info",
            meaning: "least severe log messages written to standard error"),
        Key(name: "storage-sync", type: .choice(["commit", "periodic"]), defaultValue: "commit",
            meaning: "commit: fsync every LMDB commit (a Store answered is on disk); periodic: fsync every storage-sync-interval-ms (less flash wear; a power cut loses at most that window, never consistency)"),
        Key(name: "storage-sync-interval-ms", type: .integer(100...600_000), defaultValue: "5000",
            meaning: "fsync interval for storage-sync = periodic"),
        // RFC 6940 §13.3 leaves revocation to the deployment: a peer polls the enrollment
        // server's GET /crl (§11.1 enrollment-server), so a revocation reaches every peer
        // within 1.25 x this (jitter) plus one fetch's time limit.
        Key(name: "crl-refresh-seconds", type: .integer(5...86_400), defaultValue: "3600",
            meaning: "how often a peer fetches the revocation list from the enrollment server (GET /crl), +-25 % jitter; after a failure or with a stale list it retries after 60 s, doubling to 16 min, never later than this"),
    ]

    public static func key(named name: String) -> Key? {
        for key in keys where key.name == name { return key }
        return nil
    }

    /// "integer 16...128", "size 1M...1T", "one of: error, warn", "absolute path"
    public static func describe(_ type: ValueType) -> String {
        switch type {
        case .integer(let range):
            return "integer \(range.lowerBound)...\(range.upperBound)"
        case .size(let range):
            return "size \(formatSize(range.lowerBound))...\(formatSize(range.upperBound))"
        case .choice(let words):
            var text = "one of: "
            for (index, word) in words.enumerated() {
                text += index == 0 ? word : ", \(word)"
            }
            return text
        case .absolutePath(let maximumBytes):
            return "absolute path (at most \(maximumBytes) bytes)"
        }
    }

    /// 1048576 -> "1M"; sizes that are not whole units print in bytes.
    public static func formatSize(_ bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (unit, suffix) in units where bytes >= unit && bytes % unit == 0 {
            return "\(bytes / unit)\(suffix)"
        }
        return "\(bytes)"
    }
}
