import Foundation
import Testing
import TestSupport

extension OverlayRingTests {
    /// A capture of real peers on loopback, decrypted with their NSS key logs: tshark reads
    /// every datagram as DTLS, every DTLS record after the handshake as RELOAD framing
    /// (RFC 6940 §6.6.2) and every DATA frame as RELOAD, with no malformed packet and no
    /// expert warning or error.
    @Test func tsharkDecodesACaptureOfRealPeersAsDTLSAndReload() throws {
        let base = TestnetProcess.basePort(4)
        let peers = 4
        let scratch = try TemporaryDirectory("p2psip-capture")
        defer { scratch.remove() }
        let directory = scratch.url
        let capture = directory.appendingPathComponent("overlay.pcap")
        let dumpcap = try Subprocess.start(
            URL(fileURLWithPath: "/usr/bin/dumpcap"),
            ["-q", "-i", "lo", "-f", "udp portrange \(base + 1)-\(base + peers + 10)", "-a", "duration:60", "-w", capture.path])
        defer { dumpcap.stop() }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(dumpcap.isRunning, "dumpcap cannot capture on lo (needs root or CAP_NET_RAW)")

        let net = try TestnetProcess("wireshark", peers: peers, basePort: base)
        _ = TestnetProcess.wait(seconds: 30) { net.ringIsRight(Array(0..<peers)) }
        for index in 0..<peers {
            _ = try net.control(index, ["route-query", "name-\(index)"])
            _ = try net.control(index, ["ping", net.peers[(index + 1) % peers].nodeId])
        }
        net.down(removing: false)
        defer { net.overlay.removeDirectory() }
        Thread.sleep(forTimeInterval: 1)
        dumpcap.stop()

        var keys = ""
        for index in 0..<peers {
            keys += (try? String(contentsOfFile: net.directory.appendingPathComponent("net/peer\(index)/keylog.txt").path, encoding: .utf8)) ?? ""
        }
        let keyFile = directory.appendingPathComponent("keys.txt")
        try Data(keys.utf8).write(to: keyFile)
        var options = ["-n", "-r", capture.path, "-o", "tls.keylog_file:\(keyFile.path)"]
        for port in (base + 1)...(base + peers) { options += ["-d", "udp.port==\(port),dtls"] }
        let tshark = URL(fileURLWithPath: "/usr/bin/tshark")
        let stacks = try Subprocess.run(tshark, options + ["-T", "fields", "-e", "frame.protocols", "-e", "dtls.record.content_type"],
                                  in: directory, seconds: 120)
        let rows = stacks.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count > 50, "only \(rows.count) frames captured")
        var reloadMessages = 0
        for row in rows {
            let stack = row.first ?? ""
            #expect(stack.contains(":udp:dtls"), "not DTLS: \(stack)")
            // Content type 23: application data, which must be RELOAD framing.
            if row.count > 1 && row[1].split(separator: ",").contains("23") {
                #expect(stack.contains(":dtls:reload-framing"), "application data not read as RELOAD framing: \(stack)")
            }
            if stack.contains(":reload-framing:reload") { reloadMessages += 1 }
        }
        #expect(reloadMessages > 20, "only \(reloadMessages) RELOAD messages decoded")
        let malformed = try Subprocess.run(tshark, options + ["-Y", "_ws.malformed"], in: directory, seconds: 120)
        #expect(malformed.output.isEmpty, "malformed: \(malformed.output.prefix(2000))")
        let expert = try Subprocess.run(tshark, options + ["-Y", "_ws.expert.severity >= 0x00600000", "-T", "fields", "-e", "frame.number",
                                                     "-e", "_ws.expert.message"], in: directory, seconds: 120)
        #expect(expert.output.isEmpty, "expert warnings: \(expert.output.prefix(2000))")
        print("tshark: \(rows.count) frames of \(peers) real peers, \(reloadMessages) RELOAD messages decrypted and decoded, none malformed")
    }
}
