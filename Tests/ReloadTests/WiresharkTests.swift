import Foundation
import Reload
import Testing
import Wire
import TestSupport

/// Wireshark's RELOAD dissector as an independent reader of our bytes: a pcap of framed
/// messages of every type (and their ACKs) over UDP port 6084 must decode as RELOAD, with no
/// malformed packet and no expert error or warning, except the dissector's known wrong tables
/// (the dissector calls the signer identity `none` of synthesized FetchAns values an
/// error; kind 4 is not used here).
@Suite struct WiresharkTests {
    static let alice: [UInt8] = [192, 0, 2, 1]
    static let bob: [UInt8] = [192, 0, 2, 2]

    /// (frame number, description) of every packet written.
    static func capture() throws -> (pcap: PcapFile, frames: [(number: Int, name: String, isAck: Bool)]) {
        var pcap = PcapFile()
        var frames: [(Int, String, Bool)] = []
        var sequence: UInt32 = 0
        for (name, message) in try Samples.all() {
            let isRequest = message.contents.code.isRequest
            let (from, to) = isRequest ? (alice, bob) : (bob, alice)
            let data = try FramedMessage.data(sequence: sequence, message: try message.encode()).encoded()
            pcap.addUDP(data, source: from, sourcePort: 6084, destination: to, destinationPort: 6084)
            frames.append((frames.count + 1, name, false))
            let ack = try FramedMessage.ack(ackSequence: sequence, received: 0x7FFF_FFFF).encoded()
            pcap.addUDP(ack, source: to, sourcePort: 6084, destination: from, destinationPort: 6084)
            frames.append((frames.count + 1, name + " ACK", true))
            sequence += 1
        }
        // §6.7: a fragmented StoreReq, which the dissector reassembles.
        let store = try Samples.message(.storeRequest(try Samples.storeRequest()), 0xF4A6).encode()
        for fragment in try Fragmentation.fragment(store, maximumBytes: 600, Samples.configuration) {
            let data = try FramedMessage.data(sequence: sequence, message: fragment).encoded()
            pcap.addUDP(data, source: alice, sourcePort: 6084, destination: bob, destinationPort: 6084)
            frames.append((frames.count + 1, "store_req fragment", false))
            sequence += 1
        }
        return (pcap, frames)
    }

    @Test func tsharkDecodesEveryFrameAsReload() throws {
        guard let tshark = Subprocess.find("tshark") else {
            print("WiresharkTests skipped: tshark is not on PATH (Debian: apt-get install -y tshark)")
            return
        }
        let (pcap, frames) = try WiresharkTests.capture()
        let directory = try TemporaryDirectory("reload-pcap")
        if ProcessInfo.processInfo.environment["RELOAD_KEEP_PCAP"] != nil { directory.keep() }
        defer { directory.remove() }
        let file = directory.file("reload.pcap")
        try pcap.data.write(to: file)
        let protocols = try Subprocess.run(tshark, [
            "-n", "-r", file.path, "-T", "fields", "-E", "separator=;", "-e", "frame.number", "-e", "frame.protocols",
            "-e", "reload.message.code",
        ])
        #expect(protocols.status == 0, "\(protocols.output)")
        let rows = protocols.output.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        #expect(rows.count == frames.count)
        var codes: [String] = []
        for (row, frame) in zip(rows, frames) {
            let stack = row.count > 1 ? String(row[1]) : ""
            let decoded = frame.isAck ? stack.hasSuffix(":udp:reload-framing") : stack.contains(":udp:reload-framing:reload")
            #expect(decoded, "frame \(frame.number) (\(frame.name)): \(stack)")
            codes.append(row.count > 2 ? String(row[2]) : "")
        }
        // The dissector read the message code we wrote, for every message.
        let written = try Samples.all().map { String($0.message.contents.code.rawValue) }
        let read = stride(from: 0, to: 2 * written.count, by: 2).map { codes[$0] }
        #expect(read == written)
        #expect(codes.last == "7", "the reassembled StoreReq")
        let malformed = try Subprocess.run(tshark, ["-n", "-r", file.path, "-Y", "_ws.malformed"])
        #expect(malformed.output.isEmpty, "malformed packets: \(malformed.output)")
        try checkExpertInfo(tshark, file, frames)
    }

    func checkExpertInfo(_ tshark: URL, _ file: URL, _ frames: [(number: Int, name: String, isAck: Bool)]) throws {
        let expert = try Subprocess.run(tshark, [
            "-n", "-r", file.path, "-Y", "_ws.expert", "-T", "fields", "-E", "separator=;", "-E", "occurrence=a",
            "-E", "aggregator=|", "-e", "frame.number", "-e", "_ws.expert.severity", "-e", "_ws.expert.message",
        ])
        #expect(expert.status == 0)
        for line in expert.output.split(separator: "\n") {
            let columns = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3, let number = Int(columns[0]) else { continue }
            let severities = columns[1].split(separator: "|").map(String.init)
            let messages = columns[2].split(separator: "|").map(String.init)
            let name = frames.first { $0.number == number }?.name ?? "?"
            for (severity, message) in zip(severities, messages) {
                // 0x00600000 = warning, 0x00800000 = error (epan/proto.h PI_WARN, PI_ERROR).
                let value = severity.hasPrefix("0x") ? Int(severity.dropFirst(2), radix: 16) : Int(severity)
                guard let value, value >= 0x0060_0000 else { continue }
                let knownFalseError = message == "Unknown identity type" && name.hasPrefix("fetch_ans")
                #expect(knownFalseError, "frame \(number) (\(name)): \(message)")
            }
        }
    }
}
