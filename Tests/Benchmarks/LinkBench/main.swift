// link-bench: how fast the secure-session core runs on one core of this machine.
//
//   swift run -c release link-bench [--runs N] [--handshakes N] [--megabytes N] [--messages N] [--refused-only 1]
//
// Prints the median (and range) over several runs of:
// - full mutual-auth DTLS 1.2 handshakes per second, client and server in this one thread,
//   cookie exchange included (ECDHE P-256, ECDSA P-256 signatures and chain verification on
//   both sides): what one core does when it plays both ends;
// - DTLS record throughput: bytes of application data per second, encrypted by one session
//   and decrypted by the other (AES-128-GCM, 1 KiB records);
// - RELOAD messages per second through two LinkManagers (DTLS, framing, ACKs, stop-and-wait
//   reliability) on one core, and the latency from send to delivery in a virtual-time harness;
// - handshakes from a certificate of another CA per CPU second of the server that refuses
//   them, refused after the handshake and inside it (`--refused-only 1`: only these).
// Certificates come from the openssl command line (TestSupport's TestPKI: a root and peers).
import BenchSupport
import Foundation
import Crypto
import Link
import Wire
import TestSupport

struct Options {
    let runs: Int
    let handshakes: Int
    let megabytes: Int
    let messages: Int
    let refusedOnly: Bool

    init() {
        let arguments = BenchOptions(
            "link-bench", usage: "swift run -c release link-bench [--runs 5] [--handshakes 200] [--megabytes 64] [--messages 20000] [--refused-only 0]")
        runs = arguments.integer("--runs", default: 5, in: 1...1000)
        handshakes = arguments.integer("--handshakes", default: 200, in: 1...1_000_000)
        megabytes = arguments.integer("--megabytes", default: 64, in: 1...100_000)
        messages = arguments.integer("--messages", default: 20_000, in: 100...10_000_000)
        refusedOnly = arguments.integer("--refused-only", default: 0, in: 0...1) == 1
        arguments.finish()
    }
}

func transmissions(_ actions: [SecureSessionAction]) -> [[UInt8]] {
    actions.compactMap { if case .transmit(let bytes) = $0 { return bytes } else { return nil } }
}

/// One full handshake through a DatagramListener (HelloVerifyRequest included); returns the
/// two established sessions.
func handshake(client: SecureSessionConfiguration, listener: DatagramListener,
               address: PeerAddress, now: Instant) throws -> (SecureSession, SecureSession) {
    let pair = try SessionPair(client: client, listener: listener, address: address, now: now)
    try pair.establish()
    return (pair.client, pair.server!)
}

/// Wall-clock and CPU seconds of this thread: on a shared machine the CPU time says what one
/// core does, the wall clock what this run got.
struct Stopwatch {
    let wallStart = ContinuousClock.now
    let cpuStart = Stopwatch.threadCPUSeconds()

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    var elapsed: (wall: Double, cpu: Double) {
        let wall = ContinuousClock.now - wallStart
        return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
                Stopwatch.threadCPUSeconds() - cpuStart)
    }
}

struct Rate {
    var wall: Double
    var cpu: Double
}

func handshakesPerSecond(_ count: Int, client: SecureSessionConfiguration, server: SecureSessionConfiguration) throws -> Rate {
    let now = Instant(nanoseconds: 1_000_000_000)
    let listener = try DatagramListener(configuration: server, halfOpenLimit: 4, now: now)
    let stopwatch = Stopwatch()
    for index in 0..<count {
        let address = PeerAddress(bytes: [10, 0, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0x17, 0xc4])!
        _ = try handshake(client: client, listener: listener, address: address, now: now)
    }
    let (wall, cpu) = stopwatch.elapsed
    return Rate(wall: Double(count) / wall, cpu: Double(count) / cpu)
}

func recordBytesPerSecond(megabytes: Int, client: SecureSessionConfiguration, server: SecureSessionConfiguration) throws -> (Rate, String) {
    let now = Instant(nanoseconds: 1_000_000_000)
    let listener = try DatagramListener(configuration: server, now: now)
    let (sender, receiver) = try handshake(client: client, listener: listener, address: PeerAddress(bytes: [10, 0, 0, 1])!, now: now)
    let plaintext = [UInt8](repeating: 0x5A, count: 1_024)
    let records = megabytes * 1_024
    var received = 0
    let stopwatch = Stopwatch()
    for _ in 0..<records {
        for datagram in transmissions(try sender.send(plaintext, now: now)) {
            for action in receiver.receive(datagram, now: now) {
                if case .plaintext(let bytes) = action { received += bytes.count }
            }
        }
    }
    let (wall, cpu) = stopwatch.elapsed
    guard received == records * plaintext.count else { throw BenchFailure("lost records: \(received) bytes") }
    return (Rate(wall: Double(received) / wall, cpu: Double(received) / cpu), receiver.peerCertificates?.cipherSuite ?? "?")
}

/// Resident bytes of this process (/proc/self/statm): Swift's Glibc module lacks malloc.h's
/// mallinfo2, and mbedTLS zeroes what it allocates, so its buffers are resident at once.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Memory held per established DTLS session (one end), as growth of the resident set:
/// what `max-links` costs in RAM on a board (the same mbedTLS build, so the same buffers).
func bytesPerSession(client: SecureSessionConfiguration, server: SecureSessionConfiguration) throws -> Int {
    let now = Instant(nanoseconds: 1_000_000_000)
    let listener = try DatagramListener(configuration: server, halfOpenLimit: 4, now: now)
    let count = 100
    var sessions: [SecureSession] = []
    sessions.reserveCapacity(2 * count)
    let before = residentBytes()
    for index in 0..<count {
        let address = PeerAddress(bytes: [10, 1, 0, UInt8(index), 0x17, 0xc4])!
        let (clientSession, serverSession) = try handshake(client: client, listener: listener, address: address, now: now)
        sessions += [clientSession, serverSession]
    }
    let after = residentBytes()
    return (after - before) / sessions.count
}

func main() throws {
    let options = Options()
    if options.refusedOnly { return try refusedHandshakes(options) }
    let pki = try TestPKI.load()
    let client = try TestConfigurations.make(pki.alice, role: .client)
    let server = try TestConfigurations.make(pki.bob, role: .server)
    print("link-bench: mbedTLS \(MbedTLS.version), \(options.runs) runs, one thread")

    _ = try handshakesPerSecond(5, client: client, server: server)  // warm-up
    var rates: [Rate] = []
    for _ in 0..<options.runs { rates.append(try handshakesPerSecond(options.handshakes, client: client, server: server)) }
    let cpu = median(rates.map { $0.cpu })
    print(String(format: "DTLS 1.2 mutual-auth handshakes, both ends on one core: %.1f/s per CPU second (%.2f ms each, %.2f ms per end)",
                 cpu, 1_000 / cpu, 500 / cpu))
    print(String(format: "    wall clock: %.1f/s median (%.1f...%.1f)",
                 median(rates.map { $0.wall }), rates.map { $0.wall }.min()!, rates.map { $0.wall }.max()!))

    let perSession = try bytesPerSession(client: client, server: server)
    print("memory per established DTLS session (one end, resident set growth over 200): \(perSession / 1024) KiB")

    var throughputs: [Rate] = []
    var suite = ""
    for _ in 0..<options.runs {
        let (rate, name) = try recordBytesPerSecond(megabytes: options.megabytes, client: client, server: server)
        throughputs.append(rate)
        suite = name
    }
    print(String(format: "DTLS records, 1 KiB plaintext, encrypt + decrypt, %@: %.1f MB/s per CPU second",
                 suite, median(throughputs.map { $0.cpu }) / 1e6))
    print(String(format: "    wall clock: %.1f MB/s median (%.1f...%.1f)", median(throughputs.map { $0.wall }) / 1e6,
                 throughputs.map { $0.wall }.min()! / 1e6, throughputs.map { $0.wall }.max()! / 1e6))
    try linkManagers(options, pki)
    try refusedHandshakes(options)
}

/// Two LinkManagers, reliability on: CPU cost per message, the rate stop-and-wait allows, and
/// the latency from send to delivery in the virtual-time harness.
func linkManagers(_ options: Options, _ pki: TestPKI) throws {
    let a = try TestManagers.configuration(pki.alice, maximumLinks: 4, maximumHandshakes: 2)
    let b = try TestManagers.configuration(pki.bob, maximumLinks: 4, maximumHandshakes: 2)
    let count = options.messages
    var runs: [ManagerFigures] = []
    for _ in 0..<options.runs {
        runs.append(try managerRun(count: count, bytes: 200, delayMilliseconds: 1, lossPermille: 0, keepQueueFull: true, a, b))
    }
    let rate = median(runs.map { $0.perCPUSecond })
    print(String(format: "LinkManager to LinkManager, 200-byte RELOAD messages, DTLS + framing + ACKs + stop-and-wait: %.0f messages/s per CPU second (both ends on one core, %.1f datagrams per message)",
                 rate, runs[0].datagramsPerMessage))
    print(String(format: "    stop-and-wait bound per link: %.1f messages/s (virtual time, 1 ms one-way: one message per RTT + 10 ms, RFC 6940 §6.6.3.1)",
                 median(runs.map { $0.perVirtualSecond })))
    let idle = try managerRun(count: 2_000, bytes: 200, delayMilliseconds: 1, lossPermille: 0, keepQueueFull: false, a, b)
    let lossy = try managerRun(count: 2_000, bytes: 200, delayMilliseconds: 1, lossPermille: 50, keepQueueFull: false, a, b)
    print(String(format: "    latency send to delivered (harness, virtual): median %.1f ms idle link; median %.1f ms with the %d-message queue full; at 5%% loss median %.1f ms, p99 %.1f ms",
                 idle.medianLatencyMilliseconds, median(runs.map { $0.medianLatencyMilliseconds }), LinkLimits.defaultSendQueueCapacity,
                 lossy.medianLatencyMilliseconds, lossy.p99LatencyMilliseconds))
}

do {
    try main()
} catch {
    print("link-bench: \(error)")
    exit(1)
}
