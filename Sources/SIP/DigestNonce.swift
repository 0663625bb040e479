import Crypto
import Wire

/// A nonce we can check without having kept it (RFC 2617 §3.2.1 suggests "time-stamp H(time-
/// stamp ":" ETag ":" private-key)"): 64 hex digits of
///
///     timestamp (u64, seconds) ‖ counter (u64) ‖ HMAC-SHA256(secret, label ‖ realm ‖ timestamp ‖ counter)[0..<16]
///
/// The counter makes every nonce of one second distinct and orders nonces for the replay
/// table; the realm in the MAC keeps a nonce of one realm from being used in another.
struct DigestNonce: Equatable {
    /// When it was issued: whole seconds since 1970 on the wall clock.
    let timestampSeconds: UInt64
    let counter: UInt64

    /// The time it was issued, to the second.
    var issued: WallTime { WallTime(secondsSince1970: Int64(clamping: timestampSeconds)) }

    static let label: [UInt8] = Array("p2psip SIP digest nonce".utf8)
    static let fieldBytes = 8
    static let textLength = 2 * (2 * fieldBytes + SIPLimits.nonceMACBytes)

    /// The order in which nonces were issued (by one server secret).
    static func < (left: DigestNonce, right: DigestNonce) -> Bool {
        guard left.timestampSeconds == right.timestampSeconds else { return left.timestampSeconds < right.timestampSeconds }
        return left.counter < right.counter
    }

    var fields: [UInt8] {
        var writer = ByteWriter()
        writer.writeUInt64(timestampSeconds)
        writer.writeUInt64(counter)
        return writer.bytes
    }

    func mac(secret: [UInt8], realm: [UInt8]) -> [UInt8] {
        let code = HMACSHA256.authenticationCode(key: secret, message: DigestNonce.label + realm + fields)
        return Array(code.prefix(SIPLimits.nonceMACBytes))
    }

    func text(secret: [UInt8], realm: [UInt8]) -> [UInt8] {
        return Array(Hex.encode(fields + mac(secret: secret, realm: realm)).utf8)
    }

    /// The nonce a client sent back, if we issued it: exact length, lower-case hex, and a
    /// MAC that verifies (compared in constant time). nil otherwise.
    static func verified(_ text: [UInt8], secret: [UInt8], realm: [UInt8]) -> DigestNonce? {
        guard text.count == textLength, text.allSatisfy({ SIPCharacters.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }),
            let bytes = Hex.decode(text)
        else { return nil }
        var reader = ByteReader(bytes)
        guard let timestamp = try? reader.readUInt64("timestamp"), let counter = try? reader.readUInt64("counter") else { return nil }
        let nonce = DigestNonce(timestampSeconds: timestamp, counter: counter)
        let mac = Array(bytes[(2 * fieldBytes)...])
        return HMACSHA256.isEqual(mac, nonce.mac(secret: secret, realm: realm)) ? nonce : nil
    }
}
