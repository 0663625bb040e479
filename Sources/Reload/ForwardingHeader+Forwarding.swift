import Wire

// §6.1 and §6.3.2: a peer on the path reads only the forwarding header; the contents and the
// security block (or a fragment's data) stay opaque bytes it passes on. It may change the TTL
// and the via and destination lists (§6.1.2), then sends the same payload behind the new header.
extension ForwardingHeader {
    /// Decodes the header of a message this peer may forward: checks the size against
    /// max-message-size (§6.6), every header field, and the FORWARD_CRITICAL options it does not
    /// understand (§6.3.2.3 → Error_Unsupported_Forwarding_Option). Returns the header and its
    /// length in bytes; `message[headerLength...]` is the payload to pass on.
    public static func decodeForForwarding(
        _ message: [UInt8], _ configuration: CodecConfiguration
    ) throws(ReloadError) -> (header: ForwardingHeader, headerLength: Int) {
        if message.count > configuration.maxMessageSize {
            throw .messageTooLarge(length: message.count, limit: configuration.maxMessageSize)
        }
        var reader = ByteReader(message)
        let header: ForwardingHeader
        do throws(WireError) {
            header = try ForwardingHeader.decode(from: &reader, configuration)
        } catch {
            throw .malformed(error)
        }
        let headerLength = reader.offset
        if let index = header.firstUnsupportedOption(asDestination: false, configuration) {
            throw .unsupportedForwardingOption(type: header.options[index].type, offset: header.optionOffset(index, headerLength))
        }
        return (header, headerLength)
    }

    /// The byte offset of option `index` in a header of `headerLength` bytes.
    func optionOffset(_ index: Int, _ headerLength: Int) -> Int {
        var offset = headerLength
        for option in options { offset -= 4 + option.value.count }
        for option in options[..<index] { offset += 4 + option.value.count }
        return offset
    }

    /// The message made of this header followed by `payload` (the bytes after the previous
    /// header), with the length field set to the new size.
    public func message(payload: ArraySlice<UInt8>) throws(ReloadError) -> [UInt8] {
        var writer = ByteWriter(capacity: 128 + payload.count)
        do throws(WireError) {
            try encode(to: &writer, messageLength: 0)
        } catch {
            throw .malformed(error)
        }
        writer.writeBytes(payload)
        writer.patchUInt32(UInt32(truncatingIfNeeded: writer.count), at: ReloadConstants.lengthFieldOffset)
        return writer.bytes
    }
}
