import CMbedTLS
import Wire

/// DER (X.690) writer over mbedTLS's mbedtls_asn1_write_* functions, which fill a buffer from
/// its end: write the last field of a structure first, then wrap what was written since a
/// mark in a tag and length. mbedTLS 2.28 can write neither the subjectAltName URIs of RFC 6940
/// §11.3 nor a CRL, so those are built here field by field.
///
///     let mark = writer.mark
///     try writer.writeInteger(...)      // second field
///     try writer.writeOID(...)          // first field
///     try writer.wrap(tag: ASN1Writer.sequence, since: mark)
final class ASN1Writer {
    let start: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// mbedTLS's `p`: the first written byte; everything before it is free.
    var position: UnsafeMutablePointer<UInt8>

    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31
    static let octetString: UInt8 = 0x04
    static let ia5String: UInt8 = 0x16
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18
    static func contextSpecific(_ number: UInt8, constructed: Bool) -> UInt8 {
        precondition(number < 31)
        return 0x80 | (constructed ? 0x20 : 0) | number
    }

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        start = .allocate(capacity: capacity)
        position = start + capacity
    }

    deinit {
        start.deallocate()
    }

    /// Bytes written so far; a mark for `wrap`.
    var mark: Int { start + capacity - position }

    /// The DER written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: position, count: mark)) }

    /// Runs one mbedtls_asn1_write_* call with mbedTLS's `unsigned char **p`.
    func call(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) -> Int32 {
        var cursor: UnsafeMutablePointer<UInt8>? = position
        let code = body(&cursor)
        if let cursor { position = cursor }
        precondition(position >= start && position <= start + capacity)
        return code
    }

    func record(_ code: Int32, _ operation: String) throws(CryptoError) {
        if code == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL {
            throw .outputTooLarge("DER of more than \(capacity) bytes (\(operation))")
        }
        try check(code, operation)
    }

    func writeRaw(_ data: [UInt8]) throws(CryptoError) {
        let code = data.withUnsafeBufferPointer { buffer in
            call { mbedtls_asn1_write_raw_buffer($0, start, buffer.baseAddress, buffer.count) }
        }
        try record(code, "mbedtls_asn1_write_raw_buffer")
    }

    /// Prefixes what was written since `mark` with its length and `tag`.
    func wrap(tag: UInt8, since mark: Int) throws(CryptoError) {
        let length = self.mark - mark
        precondition(length >= 0)
        try record(call { mbedtls_asn1_write_len($0, start, length) }, "mbedtls_asn1_write_len")
        try record(call { mbedtls_asn1_write_tag($0, start, tag) }, "mbedtls_asn1_write_tag")
    }

    /// A primitive value: `tag`, length, `contents`.
    func writePrimitive(tag: UInt8, _ contents: [UInt8]) throws(CryptoError) {
        let mark = self.mark
        try writeRaw(contents)
        try wrap(tag: tag, since: mark)
    }

    /// An OBJECT IDENTIFIER from its DER contents (e.g. 55 1D 11 for 2.5.29.17).
    func writeOID(_ encoded: [UInt8]) throws(CryptoError) {
        let code = encoded.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { oid in
                call { mbedtls_asn1_write_oid($0, start, oid.baseAddress, oid.count) }
            }
        }
        try record(code, "mbedtls_asn1_write_oid")
    }

    /// A non-negative INTEGER from big-endian magnitude bytes (minimal DER encoding).
    func writeUnsignedInteger(_ magnitude: [UInt8]) throws(CryptoError) {
        var trimmed = ArraySlice(magnitude)
        while trimmed.count > 1, trimmed.first == 0 { trimmed = trimmed.dropFirst() }
        var contents = Array(trimmed)
        if contents.isEmpty { contents = [0] }
        if contents[0] & 0x80 != 0 { contents.insert(0, at: 0) }
        try writePrimitive(tag: 0x02, contents)
    }

    func writeInteger(_ value: UInt64) throws(CryptoError) {
        var magnitude: [UInt8] = []
        var rest = value
        repeat {
            magnitude.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while rest > 0
        try writeUnsignedInteger(magnitude)
    }

    func writeBoolean(_ value: Bool) throws(CryptoError) {
        try record(call { mbedtls_asn1_write_bool($0, start, value ? 1 : 0) }, "mbedtls_asn1_write_bool")
    }

    func writeOctetString(_ contents: [UInt8]) throws(CryptoError) {
        let code = contents.withUnsafeBufferPointer { buffer in
            call { mbedtls_asn1_write_octet_string($0, start, buffer.baseAddress, buffer.count) }
        }
        try record(code, "mbedtls_asn1_write_octet_string")
    }

    /// A BIT STRING holding whole bytes (no unused bits), as signatures are.
    func writeBitString(_ contents: [UInt8]) throws(CryptoError) {
        let code = contents.withUnsafeBufferPointer { buffer in
            call { mbedtls_asn1_write_bitstring($0, start, buffer.baseAddress, buffer.count * 8) }
        }
        try record(code, "mbedtls_asn1_write_bitstring")
    }

    /// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    func writeTime(_ time: CertificateTime) throws(CryptoError) {
        let pad = CertificateTime.zeroPadded
        let clock = pad(time.month, 2) + pad(time.day, 2) + pad(time.hour, 2) + pad(time.minute, 2)
            + pad(time.second, 2) + "Z"
        if time.year >= 1950 && time.year < 2050 {
            try writePrimitive(tag: ASN1Writer.utcTime, Array((pad(time.year % 100, 2) + clock).utf8))
        } else {
            try writePrimitive(tag: ASN1Writer.generalizedTime, Array((pad(time.year, 4) + clock).utf8))
        }
    }
}
