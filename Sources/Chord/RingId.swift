/// A position on the CHORD-RELOAD ring: a 128-bit Node-ID or Resource-ID, with arithmetic
/// modulo 2^128 (RFC 6940 §10.1: "all math is modulo 2^128"; §10.2: Resource-IDs are the most
/// significant 128 bits of SHA-1, so CHORD-RELOAD overlays use node-id-length 16).
public struct RingId: Hashable, Comparable, Sendable {
    public var value: UInt128

    public static let byteCount = 16

    public init(_ value: UInt128) {
        self.value = value
    }

    /// From the 16 big-endian bytes of a Node-ID or Resource-ID; nil for another length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == RingId.byteCount else { return nil }
        var value: UInt128 = 0
        for byte in bytes { value = value << 8 | UInt128(byte) }
        self.value = value
    }

    /// The 16 big-endian bytes.
    public var bytes: [UInt8] {
        var output = [UInt8](repeating: 0, count: RingId.byteCount)
        var remaining = value
        var index = RingId.byteCount - 1
        while index >= 0 {
            output[index] = UInt8(truncatingIfNeeded: remaining)
            remaining >>= 8
            index -= 1
        }
        return output
    }

    public static func < (lhs: RingId, rhs: RingId) -> Bool { lhs.value < rhs.value }

    /// self + 2^exponent, modulo 2^128 (finger targets, §10.5: n + 2^(128-i)).
    public func adding(powerOfTwo exponent: Int) -> RingId {
        precondition(exponent >= 0 && exponent < 128)
        return RingId(value &+ (UInt128(1) << UInt128(exponent)))
    }

    public func adding(_ offset: UInt128) -> RingId {
        return RingId(value &+ offset)
    }

    /// Clockwise distance from self to `other`: (other - self) mod 2^128.
    public func distance(to other: RingId) -> UInt128 {
        return other.value &- value
    }

    /// True when self lies in the open interval (start, end) going clockwise. An empty
    /// interval (start == end) holds every point but start itself (the whole ring).
    public func isStrictlyBetween(_ start: RingId, _ end: RingId) -> Bool {
        if start == end { return self != start }
        let position = start.distance(to: self)
        return position > 0 && position < start.distance(to: end)
    }

    /// True when self lies in (start, end] going clockwise: the responsibility interval of
    /// §10.1 ("k is less than or equal to x and k is greater than p"). start == end: the whole ring.
    public func isBetween(after start: RingId, upTo end: RingId) -> Bool {
        if start == end { return true }
        let position = start.distance(to: self)
        return position > 0 && position <= start.distance(to: end)
    }

    /// 32 hex digits.
    public var hex: String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }
}
