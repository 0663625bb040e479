import BenchSupport
import Crypto
import Foundation
import Node
import Reload
import Signing
import Storage
import TestSupport

// storage-bench: signed records on a real overlay, measured. A testnet of 5 peer processes on
// loopback (release build, LMDB stores), users enrolled with it; then:
//   - signed Store throughput and latency with 1, 8 and 64 requests in flight: each Store is
//     a StoreReq the user signed (value and message, as `p2psip put --identity` does),
//     relayed by one peer to the responsible peer, which stores it in LMDB and replicates it
//     to two more (RFC 6940 §7.4.1, §10.4); latency from the request's line on the control
//     socket to its answer;
//   - Fetch throughput and latency the same way (one value, verified by the fetching peer);
//   - CPU time per Store of all peers (utime + stime), split into crypto (the peers' counted
//     signatures, verifications and chain verifications times their unit cost, measured here)
//     and the rest;
//   - resident set per peer idle and after the records; LMDB file size per stored record.
//
//     swift run -c release storage-bench [--users 200] [--per-user 50]

let arguments = BenchOptions("storage-bench", usage: "swift run -c release storage-bench [--users 200] [--per-user 50]")
let options = (
    users: arguments.integer("--users", default: 200, in: 10...1000),
    perUser: arguments.integer("--per-user", default: 50, in: 10...64))
arguments.finish()
let peerCount = 5

/// The peers' crypto operation counts (status --json "counters"."crypto").
func cryptoCounts(_ controls: [String]) -> (signatures: Double, verifications: Double, chains: Double) {
    var total = (signatures: 0.0, verifications: 0.0, chains: 0.0)
    for path in controls {
        guard let json = DetachedOverlay.status(control: path),
            let crypto = (json["counters"] as? [String: Any])?["crypto"] as? [String: Any]
        else { continue }
        total.signatures += Double(crypto["signatures"] as? Int ?? 0)
        total.verifications += Double(crypto["verifications"] as? Int ?? 0)
        total.chains += Double(crypto["chain_verifications"] as? Int ?? 0)
    }
    return total
}

/// Records the peers hold (replicas included) and hand-offs they still have to send.
func records(_ controls: [String]) -> (records: Int, pending: Int) {
    var total = (records: 0, pending: 0)
    for path in controls {
        guard let json = DetachedOverlay.status(control: path),
            let storage = (json["counters"] as? [String: Any])?["storage"] as? [String: Any]
        else { continue }
        total.records += storage["records"] as? Int ?? 0
        total.pending += storage["handoffs_pending"] as? Int ?? 0
    }
    return total
}

/// Requests the peers refused before verifying them (status --json "counters"."requests_refused":
/// budgets and load shedding, by cause), summed over the peers.
func refusals(_ controls: [String]) -> [String: Int] {
    var total: [String: Int] = [:]
    for path in controls {
        guard let json = DetachedOverlay.status(control: path),
            let refused = (json["counters"] as? [String: Any])?["requests_refused"] as? [String: Any]
        else { continue }
        for (cause, count) in refused { total[cause, default: 0] += count as? Int ?? 0 }
    }
    return total
}

/// CPU time of `body` per call in ms: the median of 9 rounds of `count` calls.
func unitCost(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
    var rounds: [Double] = []
    for _ in 0..<9 {
        let start = threadCPUMilliseconds()
        for _ in 0..<count { try body() }
        rounds.append((threadCPUMilliseconds() - start) / Double(count))
    }
    return percentile(rounds, 0.5)
}

/// ECDSA P-256 sign and verify, and a certificate chain verification, as the peers do them.
func cryptoUnitCosts(rootPEM: [UInt8], certificatePEM: [UInt8]) throws -> (sign: Double, verify: Double, chain: Double) {
    let random = try RandomGenerator(source: .operatingSystem)
    let key = try PrivateKey.generateP256(using: random)
    let publicKey = try key.publicKey()
    let digest = SHA256.hash(Array("storage-bench".utf8))
    let signature = try key.sign(sha256Digest: digest, using: random)
    let sign = try unitCost(40) { _ = try key.sign(sha256Digest: digest, using: random) }
    let verify = unitCost(40) { _ = publicKey.isValidSignature(signature, sha256Digest: digest) }
    let root = try Certificate(der: try PEM.decodeAll(rootPEM, label: "CERTIFICATE")[0])
    let certificate = try Certificate(der: try PEM.decodeAll(certificatePEM, label: "CERTIFICATE")[0])
    let now = CertificateTime(unixSeconds: Int64(Date().timeIntervalSince1970))
    let chain = try unitCost(20) {
        // A new verifier each time: its cache would make the second and later free.
        let verifier = try IdentityVerifier(overlayName: "testnet.p2psip", nodeIdLength: 16, roots: [root], selfSigned: nil)
        _ = try verifier.verify(chain: [certificate], now: now)
    }
    return (sign, verify, chain)
}

/// A user of the testnet, loaded to sign as `p2psip put --identity` does.
func loadUser(_ directory: String, name: String) throws -> NodeIdentity {
    let key = try PrivateKey(encoded: [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/key.pem"))))
    let pem = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/cert.pem")))
    let der = try PEM.decodeAll(pem, label: "CERTIFICATE")[0]
    let nodeId = try Certificate(der: der).reloadIdentity(overlay: "testnet.p2psip", nodeIdLength: 16).nodeIds[0]
    return NodeIdentity(nodeId: NodeId(bytes: nodeId)!, certificateChain: [der], privateKey: key, userName: name)
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// Every user's Stores, signed now (before anything is timed): `relay` control words.
func signedStores(_ users: [(identity: NodeIdentity, resource: ResourceId)], perUser: Int) throws -> [String] {
    var configuration = NodeConfiguration(overlayName: "testnet.p2psip")
    configuration.configurationSequence = 1
    let random = try RandomGenerator(source: .operatingSystem)
    let kind = KindId(0xF000_0001)
    var requests: [String] = []
    var time = UInt64(Date().timeIntervalSince1970 * 1000)
    for entry in 0..<perUser {
        for user in users {
            time += 1
            let value = StoredDataValue.dictionary(DictionaryEntry(
                key: Array("k\(entry)".utf8), value: DataValue(value: Array("storage-bench value \(entry) of \(user.identity.userName)".utf8))))
            let data = try StoredData.signed(
                resource: user.resource, kind: kind, storageTime: time, lifetime: 86_400, value: value,
                identity: .certHash(certificateDER: user.identity.certificateChain[0]), key: user.identity.privateKey, random: random)
            let message = try ClientRequest.store(
                resource: user.resource, kindData: [StoreKindData(kind: kind, generationCounter: 0, values: [data])],
                identity: user.identity, configuration: configuration, transactionId: UInt64.random(in: 1...UInt64.max), random: random)
            requests.append("relay " + hex(message))
        }
    }
    return requests
}

func report(_ what: String, _ inFlight: Int, _ result: (latencies: [Double], failed: Int, seconds: Double)) {
    print(String(format: "  %@, %2d in flight: %6.0f /s, latency median %6.2f ms, p99 %7.2f ms (%d ok, %d failed, %.1f s)",
                 what, inFlight, Double(result.latencies.count) / result.seconds, percentile(result.latencies, 0.5),
                 percentile(result.latencies, 0.99), result.latencies.count, result.failed, result.seconds))
}

print("storage-bench: \(peerCount) peers on loopback (p2psip testnet, release), \(options.users) users × \(options.perUser) records, "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
do {
    let overlay = try benchOverlay("testnet", name: "storage-bench", ["--peers", "\(peerCount)", "--users", "\(options.users)"])
    defer { overlay.down() }
    let net = overlay.net
    print(String(format: "testnet up (CA, %d enrollments, joins) in %.1f s", peerCount + options.users, overlay.startSeconds))
    let description = overlay.json
    let peers = overlay.peers
    let pids = peers.map { Int32($0["pid"] as! Int) }
    let controls = peers.map { $0["control"] as! String }
    let userDirectories = (description["users"] as! [[String: Any]]).map { ($0["name"] as! String, $0["identity"] as! String) }
    Thread.sleep(forTimeInterval: 8)
    let idle = pids.map { Double(residentKiB($0)) }
    print(String(format: "resident set per peer, idle: median %.0f KiB (%.0f-%.0f)", percentile(idle, 0.5), idle.min()!, idle.max()!))

    let unit = try cryptoUnitCosts(
        rootPEM: [UInt8](Data(contentsOf: net.appendingPathComponent("ca/root-cert.pem"))),
        certificatePEM: [UInt8](Data(contentsOf: URL(fileURLWithPath: (peers[0]["identity"] as! String) + "/cert.pem"))))
    print(String(format: "crypto unit costs (CPU time in this process, mbedTLS): ECDSA P-256 sign %.3f ms, verify %.3f ms, certificate chain %.3f ms",
                 unit.sign, unit.verify, unit.chain))

    let users = try userDirectories.map { name, path in
        let identity = try loadUser(path, name: "\(name)@testnet.p2psip")
        return (identity: identity, resource: ResourceId(bytes: Array(SHA1.hash(Array(identity.userName.utf8)).prefix(16)))!)
    }
    let signing = Date()
    let stores = try signedStores(users, perUser: options.perUser)
    print(String(format: "%d Stores signed by their users (value and message, as p2psip put --identity) in %.1f s, not timed below",
                 stores.count, Date().timeIntervalSince(signing)))
    let batch = try ControlBatch(path: controls[0])
    let phases = [(1, min(500, stores.count / 10)), (8, min(2000, stores.count / 5)), (64, stores.count)]
    var offset = 0
    var costs: [String] = []
    print("signed Store through peer 0 (relayed to the responsible peer, stored, 2 replicas):")
    for (inFlight, limit) in phases {
        let count = min(limit, stores.count - offset)
        let cpuBefore = pids.map(cpuSeconds).reduce(0, +)
        let cryptoBefore = cryptoCounts(controls)
        let result = try batch.run(Array(stores[offset..<(offset + count)]), inFlight: inFlight)
        offset += count
        report("Store", inFlight, result)
        Thread.sleep(forTimeInterval: 3)  // replicas answered
        // CPU of all 5 peers (utime + stime) per Store, and the crypto the peers counted,
        // priced at the unit costs (CPU time, this process).
        let cpu = pids.map(cpuSeconds).reduce(0, +) - cpuBefore
        let cryptoAfter = cryptoCounts(controls)
        let stored = Double(count)
        let signatures = (cryptoAfter.signatures - cryptoBefore.signatures) / stored
        let verifications = (cryptoAfter.verifications - cryptoBefore.verifications) / stored
        let chains = (cryptoAfter.chains - cryptoBefore.chains) / stored
        let crypto = signatures * unit.sign + verifications * unit.verify + chains * unit.chain
        costs.append(String(format: "  %2d in flight: %.2f ms; crypto %.2f ms (%.2f signatures, %.2f verifications, %.2f chain verifications "
            + "per Store × unit cost), the rest %.2f ms", inFlight, cpu * 1000 / stored, crypto, signatures, verifications, chains,
            cpu * 1000 / stored - crypto))
    }
    for (reason, count) in batch.failures.sorted(by: { $0.value > $1.value }).prefix(3) { print("    failed \(count)×: \(reason)") }
    print("CPU per Store, all 5 peers (the Store's signature checks, the answer's and the 2 replicas' signatures and checks):")
    for line in costs { print(line) }

    var fetches: [String] = []
    for entry in 0..<options.perUser {
        for user in users { fetches.append("get \(hex(user.resource.bytes)) 4026531841 k:\(hex(Array("k\(entry)".utf8)))") }
    }
    print("Fetch of one value through peer 1 (routed to the responsible peer, verified by peer 1):")
    let reader = try ControlBatch(path: controls[1])
    var fetchOffset = 0
    for (inFlight, count) in [(1, 500), (8, 2000), (64, 4000)] where fetchOffset + count <= fetches.count {
        report("Fetch", inFlight, try reader.run(Array(fetches[fetchOffset..<(fetchOffset + count)]), inFlight: inFlight))
        fetchOffset += count
    }

    // Replica Stores that failed under load are sent again (hand-offs, resync): wait, at
    // most 120 s, until no peer has any left.
    let settling = Date()
    var holding = records(controls)
    while holding.pending > 0 && Date().timeIntervalSince(settling) < 120 {
        Thread.sleep(forTimeInterval: 1)
        holding = records(controls)
    }
    print(String(format: "replicas settled %.0f s after the last Fetch (%d hand-offs still pending)", Date().timeIntervalSince(settling), holding.pending))
    let refused = refusals(controls)
    print("requests refused by the peers (budgets, load shedding): "
        + (refused.isEmpty ? "(not reported)" : refused.keys.sorted().map { "\($0) \(refused[$0] ?? 0)" }.joined(separator: ", ")))
    let loaded = pids.map { Double(residentKiB($0)) }
    let held = holding.records
    print(String(format: "resident set per peer after %d records (%d stored copies): median %.0f KiB (%.0f-%.0f)",
                 stores.count, held, percentile(loaded, 0.5), loaded.min()!, loaded.max()!))
    var fileBytes = 0
    for peer in peers {
        let file = (peer["identity"] as! String) + "/data/records/data.mdb"
        fileBytes += ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? Int) ?? 0
    }
    print(String(format: "LMDB files of the 5 peers: %.1f MiB for %d stored copies: %.0f bytes per stored record (%.0f per record, 3 copies)",
                 Double(fileBytes) / 1_048_576, held, Double(fileBytes) / Double(max(held, 1)), 3 * Double(fileBytes) / Double(max(held, 1))))
} catch {
    print("storage-bench: \(error)")
    exit(1)
}
