import Wire

/// The cookie field of a DTLS ClientHello, read without mbedTLS so that the listener can
/// check the cookie (one HMAC) and its half-open limit before any handshake work. The random
/// tells two simultaneous handshakes between the same peers apart (`LinkManager`).
struct ClientHelloCookie {
    let random: [UInt8]
    let cookie: [UInt8]

    /// True when `datagram` starts with an epoch-0 handshake record whose message type is
    /// client_hello, well formed or not: what mbedTLS, on an established server session,
    /// parses for a reconnecting client (RFC 6347 §4.2.8) and fails the session on if it is
    /// malformed.
    static func isClientHelloRecord(_ datagram: [UInt8]) -> Bool {
        datagram.count > LinkLimits.dtlsRecordHeaderBytes && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0
            && datagram[LinkLimits.dtlsRecordHeaderBytes] == 1
    }

    /// nil unless `datagram` starts with an epoch-0 record holding one whole ClientHello.
    static func parse(_ datagram: [UInt8]) -> ClientHelloCookie? {
        guard isClientHelloRecord(datagram) else { return nil }
        var reader = ByteReader(datagram)
        do throws(WireError) {
            // RFC 6347 §4.1: type, version, epoch, sequence_number, length.
            guard try reader.readUInt8("DTLSPlaintext.type") == 22 else { return nil }  // handshake
            guard try reader.readUInt8("DTLSPlaintext.version.major") == 0xFE else { return nil }
            try reader.skip(1, "DTLSPlaintext.version.minor")
            guard try reader.readUInt16("DTLSPlaintext.epoch") == 0 else { return nil }
            try reader.skip(6, "DTLSPlaintext.sequence_number")
            let recordLength = Int(try reader.readUInt16("DTLSPlaintext.length"))
            var record = try reader.readFixedContainer(recordLength, "DTLSPlaintext.fragment")
            // RFC 6347 §4.2.2: msg_type, length, message_seq, fragment_offset, fragment_length.
            guard try record.readUInt8("Handshake.msg_type") == 1 else { return nil }  // client_hello
            let length = try record.readUInt24("Handshake.length")
            try record.skip(2, "Handshake.message_seq")
            // mbedTLS (like most servers) takes only an unfragmented ClientHello.
            guard try record.readUInt24("Handshake.fragment_offset") == 0,
                try record.readUInt24("Handshake.fragment_length") == length
            else { return nil }
            // RFC 6347 §4.2.1: client_version, random, session_id, cookie.
            try record.skip(2, "ClientHello.client_version")
            let random = try record.readBytes(LinkLimits.helloRandomBytes, "ClientHello.random")
            let sessionIdLength = Int(try record.readUInt8("ClientHello.session_id.length"))
            guard sessionIdLength <= LinkLimits.maximumSessionIdBytes else { return nil }
            try record.skip(sessionIdLength, "ClientHello.session_id")
            let cookieLength = Int(try record.readUInt8("ClientHello.cookie.length"))
            return ClientHelloCookie(random: random, cookie: try record.readBytes(cookieLength, "ClientHello.cookie"))
        } catch {
            return nil
        }
    }
}
