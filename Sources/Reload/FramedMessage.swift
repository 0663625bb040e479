import Wire

/// §6.6.2 FramedMessage, the per-hop framing of every overlay link: data(128) → sequence u32 ‖
/// message opaque<0..2^24-1>; ack(129) → ack_sequence u32 ‖ received u32 (bit N-M set when
/// sequence M, N-32 < M < N, was among the last 32 received).
public enum FramedMessage: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "FramedMessage"
    public static let dataType: UInt8 = 128
    public static let ackType: UInt8 = 129

    case data(sequence: UInt32, message: [UInt8])
    case ack(ackSequence: UInt32, received: UInt32)

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> FramedMessage {
        let start = reader.offset
        let type = try reader.readUInt8("FramedMessage.type")
        switch type {
        case dataType:
            let sequence = try reader.readUInt32("FramedMessage.sequence")
            let message = try reader.readOpaque(3, "FramedMessage.message", configuration)
            return .data(sequence: sequence, message: message)
        case ackType:
            let ackSequence = try reader.readUInt32("FramedMessage.ack_sequence")
            let received = try reader.readUInt32("FramedMessage.received")
            return .ack(ackSequence: ackSequence, received: received)
        default:
            throw .invalidValue(field: "FramedMessage.type", offset: start, value: UInt64(type))
        }
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        switch self {
        case .data(let sequence, let message):
            writer.writeUInt8(FramedMessage.dataType)
            writer.writeUInt32(sequence)
            try writer.writeOpaque(message, lengthWidth: 3, "FramedMessage.message")
        case .ack(let ackSequence, let received):
            writer.writeUInt8(FramedMessage.ackType)
            writer.writeUInt32(ackSequence)
            writer.writeUInt32(received)
        }
    }
}
