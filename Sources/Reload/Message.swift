import Wire

/// §6.3 a RELOAD message: ForwardingHeader ‖ MessageContents ‖ SecurityBlock.
public struct Message: Equatable, Sendable {
    public var header: ForwardingHeader
    public var contents: MessageContents
    public var securityBlock: SecurityBlock

    public init(header: ForwardingHeader, contents: MessageContents, securityBlock: SecurityBlock) {
        self.header = header
        self.contents = contents
        self.securityBlock = securityBlock
    }

    /// Decodes one whole (not fragmented, or reassembled) message as its destination does:
    /// the size against max-message-size (§6.6), every field of the three parts, then the
    /// critical forwarding options (§6.3.2.3) and critical extensions (§6.3.3) this node does
    /// not understand. A fragment is refused (reassemble first, §6.7).
    public static func decode(_ bytes: [UInt8], _ configuration: CodecConfiguration) throws(ReloadError) -> Message {
        if bytes.count > configuration.maxMessageSize {
            throw .messageTooLarge(length: bytes.count, limit: configuration.maxMessageSize)
        }
        var reader = ByteReader(bytes)
        let message: Message
        let headerLength: Int
        do throws(WireError) {
            let header = try ForwardingHeader.decode(from: &reader, configuration)
            if !header.fragment.isWholeMessage {
                throw .invalidValue(
                    field: "ForwardingHeader.fragment", offset: ReloadConstants.fragmentFieldOffset,
                    value: UInt64(header.fragment.rawValue))
            }
            headerLength = reader.offset
            let contents = try MessageContents.decode(from: &reader, configuration)
            let securityBlock = try SecurityBlock.decode(from: &reader, configuration)
            try reader.expectEnd("SecurityBlock")
            message = Message(header: header, contents: contents, securityBlock: securityBlock)
        } catch {
            throw .malformed(error)
        }
        try message.checkCritical(headerLength: headerLength, configuration)
        return message
    }

    /// §6.3.2.3 and §6.3.3: the critical options and extensions the destination must refuse.
    func checkCritical(headerLength: Int, _ configuration: CodecConfiguration) throws(ReloadError) {
        if let index = header.firstUnsupportedOption(asDestination: true, configuration) {
            throw .unsupportedForwardingOption(
                type: header.options[index].type, offset: header.optionOffset(index, headerLength))
        }
        if let index = contents.firstUnknownCriticalExtension(configuration) {
            // The contents start right after the header: code, body length, body, list length.
            var offset = headerLength + 2 + 4 + 4
            if let bodyLength = try? contents.body.encodedLength() { offset += bodyLength }
            for item in contents.extensions[..<index] { offset += item.encodedLength }
            throw .unknownExtension(type: contents.extensions[index].type, offset: offset)
        }
    }

    /// The wire form, with the header's length field set to the message's size.
    public func encode() throws(ReloadError) -> [UInt8] {
        var writer = ByteWriter(capacity: 512)
        do throws(WireError) {
            try header.encode(to: &writer, messageLength: 0)
            try contents.encode(to: &writer)
            try securityBlock.encode(to: &writer)
        } catch {
            throw .malformed(error)
        }
        writer.patchUInt32(UInt32(truncatingIfNeeded: writer.count), at: ReloadConstants.lengthFieldOffset)
        return writer.bytes
    }
}
