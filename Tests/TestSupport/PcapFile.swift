import Foundation

/// A minimal libpcap file writer (the classic format: magic 0xa1b2c3d4, microsecond times,
/// link type Ethernet), with hand-built Ethernet, IPv4 and UDP headers around each payload:
/// our bytes as a capture, for tshark to read.
public struct PcapFile {
    public private(set) var data = Data()
    private var packets = 0

    public init() {
        appendLittleEndian(UInt32(0xA1B2_C3D4), 4)
        appendLittleEndian(UInt32(2), 2)  // version 2.4
        appendLittleEndian(UInt32(4), 2)
        appendLittleEndian(UInt32(0), 4)  // thiszone
        appendLittleEndian(UInt32(0), 4)  // sigfigs
        appendLittleEndian(UInt32(65_535), 4)  // snaplen
        appendLittleEndian(UInt32(1), 4)  // LINKTYPE_ETHERNET
    }

    private mutating func appendLittleEndian(_ value: UInt32, _ width: Int) {
        for index in 0..<width { data.append(UInt8((value >> UInt32(8 * index)) & 0xFF)) }
    }

    /// One UDP datagram from `source` to `destination` (IPv4 addresses as four bytes).
    public mutating func addUDP(_ payload: [UInt8], source: [UInt8], sourcePort: UInt16, destination: [UInt8], destinationPort: UInt16) {
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00]
        let totalLength = 20 + 8 + payload.count
        var ip: [UInt8] = [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), UInt8(packets >> 8), UInt8(packets & 0xFF), 0x40, 0, 64, 17, 0, 0]
        ip += source + destination
        let checksum = Self.checksum(ip)
        ip[10] = UInt8(checksum >> 8)
        ip[11] = UInt8(checksum & 0xFF)
        let udpLength = 8 + payload.count
        let udp: [UInt8] = [
            UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF),
            UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0,
        ]
        frame += ip + udp + payload
        packets += 1
        appendLittleEndian(UInt32(1_790_000_000 + packets), 4)
        appendLittleEndian(UInt32(packets * 1000), 4)
        appendLittleEndian(UInt32(frame.count), 4)
        appendLittleEndian(UInt32(frame.count), 4)
        data.append(contentsOf: frame)
    }

    /// The Internet checksum (RFC 1071) of an IPv4 header.
    static func checksum(_ header: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for index in stride(from: 0, to: header.count, by: 2) {
            sum += UInt32(header[index]) << 8 | UInt32(header[index + 1])
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
