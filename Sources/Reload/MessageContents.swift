import Wire

/// §6.3.3 MessageContents: message_code u16 ‖ message_body opaque<0..2^32-1> ‖
/// MessageExtension extensions<0..2^32-1>. The code is the body's.
public struct MessageContents: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "MessageContents"
    public var body: MessageBody
    public var extensions: [MessageExtension]

    public init(body: MessageBody, extensions: [MessageExtension] = []) {
        self.body = body
        self.extensions = extensions
    }

    public var code: MessageCode { body.code }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> MessageContents {
        let start = reader.offset
        let raw = try reader.readUInt16("MessageContents.message_code")
        guard let code = MessageCode(rawValue: raw) else {
            throw .invalidValue(field: "MessageContents.message_code", offset: start, value: UInt64(raw))
        }
        var bodyReader = try reader.readContainer(4, "MessageContents.message_body", configuration)
        let body = try MessageBody.decode(code: code, from: &bodyReader, configuration)
        let extensions: [MessageExtension] = try reader.readList(
            4, countLimit: ReloadLimits.messageExtensions, "MessageContents.extensions", configuration)
        return MessageContents(body: body, extensions: extensions)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt16(code.rawValue)
        let mark = writer.beginContainer(lengthWidth: 4)
        try body.encode(to: &writer)
        try writer.endContainer(mark, "MessageContents.message_body")
        try writer.writeList(extensions, 4, countLimit: ReloadLimits.messageExtensions, "MessageContents.extensions")
    }

    /// §6.3.3: the index of the first critical extension this node does not understand.
    public func firstUnknownCriticalExtension(_ configuration: CodecConfiguration) -> Int? {
        for (index, item) in extensions.enumerated()
        where item.isCritical && !configuration.understoodExtensions.contains(item.type) {
            return index
        }
        return nil
    }
}
