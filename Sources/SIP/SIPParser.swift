/// Framing of SIP messages (RFC 3261 §7, §18.3): where the header section ends, how the body
/// is delimited on datagrams and on streams, and the limits of SIPLimits. Everything is
/// checked before a message is returned; nothing traps on any input.
extension SIPMessage {
    /// Parses one UDP datagram (RFC 3261 §18.3). With Content-Length the body is that many
    /// bytes: "If there are additional bytes in the transport packet beyond the end of the
    /// body, they MUST be discarded" (RFC 4475 §3.1.1.8 "dblreq": they are never read, so a
    /// second message in them is not seen); fewer bytes than declared is an error. Without
    /// Content-Length the body is the rest of the datagram.
    public static func parse(datagram bytes: [UInt8]) throws(SIPError) -> SIPMessage {
        guard bytes.count <= SIPLimits.maximumMessageBytes else { throw .messageTooLarge(limit: SIPLimits.maximumMessageBytes) }
        let start = SIPParser.skipLeadingLineBreaks(bytes)
        guard let end = SIPParser.headEnd(bytes, from: start) else {
            throw .malformedFraming("no empty line after the header section")
        }
        let head = try SIPParser.parseHead(Array(bytes[start..<end]))
        var body = Array(bytes[(end + 4)...])
        if let declared = head.contentLength {
            guard declared <= body.count else { throw .contentLengthMismatch(declared: declared, actual: body.count) }
            body.removeLast(body.count - declared)
        }
        guard body.count <= SIPLimits.maximumBodyBytes else { throw .messageTooLarge(limit: SIPLimits.maximumMessageBytes) }
        return try head.message(body: body)
    }

    /// Parses the first message of a stream (TCP, TLS). nil: more bytes are needed. On
    /// streams Content-Length is mandatory (§18.3, §20.14); `consumed` bytes belong to the
    /// returned message (and to CRLFs before it, §7.5).
    public static func parse(stream bytes: [UInt8]) throws(SIPError) -> (message: SIPMessage, consumed: Int)? {
        let start = SIPParser.skipLeadingLineBreaks(bytes)
        guard let end = SIPParser.headEnd(bytes, from: start) else {
            if bytes.count - start > SIPLimits.maximumHeaderSectionBytes + SIPLimits.maximumLineBytes {
                throw .tooManyHeaders(field: "header section", limit: SIPLimits.maximumHeaderSectionBytes)
            }
            return nil
        }
        let head = try SIPParser.parseHead(Array(bytes[start..<end]))
        guard let length = head.contentLength else { throw .missingHeader(field: "Content-Length") }
        guard length <= SIPLimits.maximumBodyBytes, end + 4 - start + length <= SIPLimits.maximumMessageBytes else {
            throw .messageTooLarge(limit: SIPLimits.maximumMessageBytes)
        }
        guard bytes.count >= end + 4 + length else { return nil }
        let message = try head.message(body: Array(bytes[(end + 4)..<(end + 4 + length)]))
        return (message, end + 4 + length)
    }
}

enum SIPParser {
    /// §7.5: "Implementations processing SIP messages over stream-oriented transports MUST
    /// ignore any CRLF appearing before the start-line"; the keep-alive of RFC 5626 §4.4.1
    /// sends CRLFs too.
    static func skipLeadingLineBreaks(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index + 1 < bytes.count, bytes[index] == 0x0D, bytes[index + 1] == 0x0A { index += 2 }
        return index
    }

    /// The offset of the CRLF CRLF that ends the header section.
    static func headEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 0x0D && bytes[index + 1] == 0x0A && bytes[index + 2] == 0x0D && bytes[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The start line and the header fields, unfolded (§7.3.1: a line starting with
    /// whitespace continues the previous header; the fold is equivalent to one SP).
    static func splitLines(_ head: [UInt8]) throws(SIPError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        var index = 0
        while index <= head.count {
            if index < head.count && head[index] != 0x0D && head[index] != 0x0A {
                index += 1
                continue
            }
            if index < head.count {
                guard head[index] == 0x0D, index + 1 < head.count, head[index + 1] == 0x0A else {
                    throw .malformedFraming("a bare CR or LF")
                }
            }
            try appendLine(head[start..<index], to: &lines)
            index += 2
            start = index
        }
        return lines
    }

    static func appendLine(_ line: ArraySlice<UInt8>, to lines: inout [[UInt8]]) throws(SIPError) {
        if let first = line.first, SIPCharacters.isWhitespace(first) {
            guard !lines.isEmpty else { throw .malformedStartLine("starts with whitespace") }
            guard lines.count > 1 else { throw .malformedFraming("a continuation line after the start line") }
            var rest = line[...]
            while let byte = rest.first, SIPCharacters.isWhitespace(byte) { rest = rest.dropFirst() }
            lines[lines.count - 1] += [0x20] + rest
        } else {
            guard lines.count <= SIPLimits.maximumHeaderFields else {
                throw .tooManyHeaders(field: "header fields", limit: SIPLimits.maximumHeaderFields)
            }
            lines.append(Array(line))
        }
        guard lines[lines.count - 1].count <= SIPLimits.maximumLineBytes else {
            throw .lineTooLong(field: lines.count == 1 ? "start line" : SIPParser.headerName(lines[lines.count - 1]))
        }
    }

    /// The name of a header line, for an error about it.
    static func headerName(_ line: [UInt8]) -> String {
        let name = line.prefix { SIPCharacters.isToken($0) }.prefix(32)
        return name.isEmpty ? "header" : SIPHeaderName(Array(name)).text
    }

    static func parseHead(_ head: [UInt8]) throws(SIPError) -> SIPHeaderAccumulator {
        guard head.count <= SIPLimits.maximumHeaderSectionBytes else {
            throw .tooManyHeaders(field: "header section", limit: SIPLimits.maximumHeaderSectionBytes)
        }
        let lines = try splitLines(head)
        guard let first = lines.first, !first.isEmpty else { throw .malformedStartLine("empty") }
        var accumulator = SIPHeaderAccumulator(startLine: try parseStartLine(first))
        for line in lines.dropFirst() {
            let (name, value) = try parseField(line)
            let header = SIPHeaderName(name)
            try checkText(value, quotedPairs: header.hasQuotedStrings, field: header.text)
            try accumulator.add(header, value)
        }
        return accumulator
    }

    /// message-header = field-name HCOLON field-value; HCOLON = *( SP / HTAB ) ":" SWS.
    static func parseField(_ line: [UInt8]) throws(SIPError) -> (name: [UInt8], value: [UInt8]) {
        var scanner = SIPScanner(line, field: headerName(line))
        let name = try scanner.readToken("a header name")
        try scanner.expectSeparator(UInt8(ascii: ":"), "a colon after the header name")
        var value = line[scanner.index...]
        while let last = value.last, SIPCharacters.isWhitespace(last) { value = value.dropLast() }
        return (name, Array(value))
    }

    /// A header value is TEXT-UTF8char and whitespace (RFC 3261 §25.1), no control
    /// characters, except that in the headers whose grammar has quoted strings a quoted-pair
    /// may escape one: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) (RFC 4475 §3.1.1.2
    /// "intmeth" escapes NUL, BEL and DEL in a display name). Those headers' parsers read
    /// the quoted strings and refuse a control character anywhere else.
    static func checkText(_ value: [UInt8], quotedPairs: Bool, field: String) throws(SIPError) {
        var inQuotes = false
        var index = 0
        while index < value.count {
            let byte = value[index]
            if quotedPairs && inQuotes && byte == UInt8(ascii: "\\") && index + 1 < value.count {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            guard SIPCharacters.isText(byte) else { throw .malformedHeader(field: field, reason: "control character in the value") }
            index += 1
        }
    }
}
