/// The record framing of a DTLS datagram (RFC 6347 §4.1), checked before mbedTLS sees it: one
/// or more whole records, each a 13-byte header (content type, version 254.x, epoch, sequence
/// number, length) and exactly `length` bytes, with nothing left over. mbedTLS does not
/// discard every datagram that breaks this: a record running past the end of the datagram
/// can make mbedtls_ssl_read fail with an internal error, after which the session is
/// unusable, so one forged datagram from a peer's address would end the link. RFC 6347
/// §4.1.2.7: invalid records "SHOULD be silently discarded".
enum DatagramRecords {
    /// RFC 5246 §6.2.1 and RFC 6520: change_cipher_spec(20) ... heartbeat(24).
    static let contentTypes: ClosedRange<UInt8> = 20...24
    static let versionMajor: UInt8 = 0xFE

    static func areWhole(_ datagram: [UInt8]) -> Bool {
        var offset = 0
        // Each pass consumes at least a header, so the loop runs at most count / 13 times.
        while offset < datagram.count {
            guard datagram.count - offset >= LinkLimits.dtlsRecordHeaderBytes,
                contentTypes.contains(datagram[offset]), datagram[offset + 1] == versionMajor
            else { return false }
            let length = Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12])
            offset += LinkLimits.dtlsRecordHeaderBytes
            guard length <= datagram.count - offset else { return false }
            offset += length
        }
        return offset > 0 && offset == datagram.count
    }
}
