import BenchSupport
import Foundation
import SIP
import TestSupport

// sip-bench: SIP through the overlay, measured. A `p2psip demo` overlay of real peer processes
// on loopback (alice's and bob's phones at different peers), then:
// - call setup latency: INVITE sent by alice's phone to 200 OK received, through alice's
//   peer, the overlay (Fetch of bob's SIP-REGISTRATION, AppAttach the first time) and bob's
//   peer; the first call apart (it sets up the DTLS connection between the peers), then
//   median and p99 of the others; each call completes with ACK, BYE, 200;
// - REGISTER throughput per peer: refreshes one after another (each is a signed Store of
//   SIP-REGISTRATION at the responsible peer and its replicas before the 200).
//
// Calls are paced (--rate, calls per second): a peer keeps each finished transaction for RFC
// 3261's 32 s (Timer J and D, for retransmissions) and holds at most 128 (SIPFrontLimits),
// two per call (INVITE and BYE), so a peer takes about 2 calls per second for long.
//
//     swift run -c release sip-bench [--peers 5] [--calls 100] [--rate 1.5] [--registers 200]

let arguments = BenchOptions("sip-bench", usage: "swift run -c release sip-bench [--peers 5] [--calls 100] [--rate 1.5] [--registers 200]")
let options = (
    peers: arguments.integer("--peers", default: 5, in: 2...20),
    calls: arguments.integer("--calls", default: 100, in: 10...100_000),
    rate: arguments.number("--rate", default: 1.5, in: 0.1...1000),
    registers: arguments.integer("--registers", default: 200, in: 10...100_000))
arguments.finish()
print("sip-bench: \(options.peers) peers on loopback (p2psip demo), \(ProcessInfo.processInfo.activeProcessorCount) cores")
do {
    let overlay = try benchOverlay("demo", name: "sip-bench", ["--peers", "\(options.peers)", "--no-call"])
    defer { overlay.down() }
    print(String(format: "overlay of %d peers with SIP fronts up in %.1f s", options.peers, overlay.startSeconds))
    let description = overlay.json
    let peers = overlay.peers
    let accounts = description["accounts"] as! [[String: Any]]
    let domain = description["domain"] as! String
    func phone(_ index: Int) throws -> Phone {
        let port = UInt16((peers[index]["sip"] as! String).split(separator: ":")[1])!
        return try Phone(user: accounts[index]["user"] as! String, password: accounts[index]["password"] as! String, domain: domain, proxyPort: port)
    }
    let alice = try phone(0)
    let bob = try phone(1)
    guard alice.register() == 200, bob.register() == 200 else {
        throw BenchFailure("the phones could not register")
    }

    var setups: [Double] = []
    var failures: [String: Int] = [:]
    let callsStarted = Date()
    for index in 0..<options.calls {
        let due = callsStarted.addingTimeInterval(Double(index) / options.rate)
        if due > Date() { Thread.sleep(until: due) }
        switch call(alice, bob) {
        case .completed(let milliseconds) where index == 0:
            print(String(format: "first call (AppAttach and DTLS between the peers): INVITE to 200 OK %.1f ms", milliseconds))
        case .completed(let milliseconds): setups.append(milliseconds)
        case .refused(let status): failures["\(status)", default: 0] += 1
        case .noAnswer: failures["no answer", default: 0] += 1
        }
    }
    if setups.isEmpty { throw BenchFailure("no call completed: \(failures)") }
    print(String(format: "call setup (INVITE to 200 OK, alice's peer -> overlay lookup -> bob's peer): median %.2f ms, p99 %.2f ms, max %.2f ms (%d calls at %.1f/s; failed: %@)",
                 percentile(setups, 0.5), percentile(setups, 0.99), setups.max()!, setups.count, options.rate,
                 failures.isEmpty ? "none" : failures.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))

    for phone in [alice, bob] {
        var times: [Double] = []
        let refreshStarted = Date()
        for _ in 0..<options.registers {
            let start = DispatchTime.now().uptimeNanoseconds
            if phone.register() == 200 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        let seconds = Date().timeIntervalSince(refreshStarted)
        print(String(format: "REGISTER at %@'s peer (each a signed Store with replicas before the 200): %.0f per second, median %.2f ms, p99 %.2f ms (%d of %d)",
                     phone.user, Double(times.count) / seconds, percentile(times, 0.5), percentile(times, 0.99), times.count, options.registers))
    }
} catch {
    print("sip-bench: \(error)")
    exit(1)
}
