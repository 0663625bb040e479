import Foundation
import Testing
@testable import Link
import Crypto
import Wire
import TestSupport

@Suite(.enabled(if: TestPKI.hasOpenSSL, "openssl is not installed (apt-get install openssl)"))
struct KeyLogTests {
    static func keyLoggedConnection(transport: SecureSessionConfiguration.Transport = .datagram) throws -> SessionPair {
        let pki = try TestPKI.load()
        let connection = try SessionPair(
            client: try TestConfigurations.make(pki.alice, role: .client, transport: transport, keyLog: true),
            server: try TestConfigurations.make(pki.bob, role: .server, transport: transport, keyLog: true))
        connection.start()
        connection.run()
        return connection
    }

    @Test func linesHaveTheNSSFormatAndLengths() throws {
        for transport in [SecureSessionConfiguration.Transport.datagram, .stream] {
            let connection = try Self.keyLoggedConnection(transport: transport)
            #expect(connection.handshakeCompleted)
            let lines = connection.clientEvents.keyLogLines
            #expect(lines.count == 1)
            // Both ends derive the same master secret for the same ClientHello.random.
            #expect(connection.serverEvents.keyLogLines == lines)
            for line in lines {
                let fields = line.split(separator: " ", omittingEmptySubsequences: false)
                #expect(fields.count == 3)
                #expect(fields[0] == "CLIENT_RANDOM")
                #expect(fields[1].count == 64 && fields[2].count == 96)
                #expect((fields[1] + fields[2]).allSatisfy { "0123456789abcdef".contains($0) })
                #expect(line.utf8.count == NSSKeyLog.lineLength)
            }
        }
    }

    @Test func noLinesWithoutKeyLogging() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair(client: try TestConfigurations.make(pki.alice, role: .client),
                                        server: try TestConfigurations.make(pki.bob, role: .server))
        connection.start()
        connection.run()
        #expect(connection.handshakeCompleted)
        #expect(connection.clientEvents.keyLogLines.isEmpty && connection.serverEvents.keyLogLines.isEmpty)
    }

    @Test func lineFormatter() {
        let line = NSSKeyLog.line(clientRandom: [UInt8](repeating: 0xAB, count: 32), masterSecret: Array(0..<48))
        #expect(line == "CLIENT_RANDOM " + String(repeating: "ab", count: 32) + " " + Hex.encode(Array(0..<48) as [UInt8]))
    }

    /// Wireshark decrypts a capture of our DTLS with the key log: the test writes the datagrams
    /// of an exchange as a pcap file and asks tshark for the decrypted application data.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark"), "tshark is not installed"))
    func tsharkDecryptsACaptureWithTheKeyLog() throws {
        let connection = try Self.keyLoggedConnection()
        try connection.clientSends("hello from alice over DTLS")
        connection.run()
        try connection.serverSends("and bob answers")
        connection.run()
        #expect(connection.serverEvents.plaintext.texts == ["hello from alice over DTLS"])

        let directory = try TemporaryDirectory("p2psip-keylog")
        defer { directory.remove() }
        let keys = directory.file("keys.log")
        try Data((connection.clientEvents.keyLogLines.joined(separator: "\n") + "\n").utf8).write(to: keys)
        let capture = directory.file("dtls.pcap")
        try PcapWriter.write(connection.wire.map { (toServer: $0.toServer, payload: $0.bytes) }, to: capture)

        let text = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/tshark"),
            ["-n", "-r", capture.path, "-o", "tls.keylog_file:\(keys.path)", "-d", "udp.port==40000,dtls", "-Y", "dtls.app_data",
             "-T", "fields", "-e", "data.data"], output: .outputOnly).output
        let decrypted = text.split(separator: "\n").compactMap { Hex.decode(String($0)) }.map { String(decoding: $0, as: UTF8.self) }
        #expect(decrypted == ["hello from alice over DTLS", "and bob answers"], "tshark printed: \(text)")
    }
}

/// A minimal pcap file (LINKTYPE_RAW: IPv4 packets) for tshark.
enum PcapWriter {
    static func write(_ datagrams: [(toServer: Bool, payload: [UInt8])], to url: URL) throws {
        var file: [UInt8] = []
        append32(&file, 0xa1b2c3d4)
        append16(&file, 2)
        append16(&file, 4)
        append32(&file, 0)
        append32(&file, 0)
        append32(&file, 65_535)
        append32(&file, 101)  // LINKTYPE_RAW
        for (index, datagram) in datagrams.enumerated() {
            let packet = ipv4UDP(datagram.payload, toServer: datagram.toServer)
            append32(&file, UInt32(1_700_000_000 + index))
            append32(&file, 0)
            append32(&file, UInt32(packet.count))
            append32(&file, UInt32(packet.count))
            file += packet
        }
        try Data(file).write(to: url)
    }

    static func ipv4UDP(_ payload: [UInt8], toServer: Bool) -> [UInt8] {
        let client: [UInt8] = [10, 0, 0, 1], server: [UInt8] = [10, 0, 0, 2]
        let (source, destination) = toServer ? (client, server) : (server, client)
        let (sourcePort, destinationPort): (UInt16, UInt16) = toServer ? (40001, 40000) : (40000, 40001)
        var header: [UInt8] = [0x45, 0]
        appendBig16(&header, UInt16(20 + 8 + payload.count))
        header += [0, 0, 0x40, 0, 64, 17, 0, 0] + source + destination
        var sum: UInt32 = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(header[index]) << 8 | UInt32(header[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        var udp: [UInt8] = []
        appendBig16(&udp, sourcePort)
        appendBig16(&udp, destinationPort)
        appendBig16(&udp, UInt16(8 + payload.count))
        appendBig16(&udp, 0)  // no checksum (allowed over IPv4)
        return header + udp + payload
    }

    static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    static func appendBig16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
    }
}
