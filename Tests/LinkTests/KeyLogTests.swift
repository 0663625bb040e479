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
        return try SessionPair.handshake(pki.alice, to: pki.bob, transport: transport, keyLog: true)
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

    /// The exchange as UDP between 10.0.0.1:40001 (client) and 10.0.0.2:40000 (server).
    static func capture(_ wire: [(toServer: Bool, bytes: [UInt8])]) -> Data {
        let client: (address: [UInt8], port: UInt16) = ([10, 0, 0, 1], 40001)
        let server: (address: [UInt8], port: UInt16) = ([10, 0, 0, 2], 40000)
        var pcap = PcapFile()
        for datagram in wire {
            let (from, to) = datagram.toServer ? (client, server) : (server, client)
            pcap.addUDP(datagram.bytes, source: from.address, sourcePort: from.port, destination: to.address, destinationPort: to.port)
        }
        return pcap.data
    }

    @Test func noLinesWithoutKeyLogging() throws {
        let pki = try TestPKI.load()
        let connection = try SessionPair.handshake(pki.alice, to: pki.bob)
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
        try Self.capture(connection.wire).write(to: capture)

        let text = try Subprocess.run(
            URL(fileURLWithPath: "/usr/bin/tshark"),
            ["-n", "-r", capture.path, "-o", "tls.keylog_file:\(keys.path)", "-d", "udp.port==40000,dtls", "-Y", "dtls.app_data",
             "-T", "fields", "-e", "data.data"], output: .outputOnly).output
        let decrypted = text.split(separator: "\n").compactMap { Hex.decode(String($0)) }.map { String(decoding: $0, as: UTF8.self) }
        #expect(decrypted == ["hello from alice over DTLS", "and bob answers"], "tshark printed: \(text)")
    }
}
