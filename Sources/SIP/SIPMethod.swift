/// A request method (RFC 3261 §7.1: case-sensitive, Method = INVITEm / ... / extension-method,
/// extension-method = token).
public struct SIPMethod: Equatable, Hashable, Sendable {
    public let bytes: [UInt8]

    /// Nil unless `bytes` is a token of at most SIPLimits.maximumMethodBytes.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= SIPLimits.maximumMethodBytes, bytes.allSatisfy(SIPCharacters.isToken) else { return nil }
        self.bytes = bytes
    }

    init(known text: StaticString) {
        bytes = Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public static let register = SIPMethod(known: "REGISTER")
    public static let invite = SIPMethod(known: "INVITE")
    public static let ack = SIPMethod(known: "ACK")
    public static let cancel = SIPMethod(known: "CANCEL")
    public static let bye = SIPMethod(known: "BYE")
    public static let options = SIPMethod(known: "OPTIONS")

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// CSeq = "CSeq" HCOLON 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2**31
/// (§8.1.1.5).
public struct SIPCSeq: Equatable, Sendable {
    public var number: UInt32
    public var method: SIPMethod

    public init(number: UInt32, method: SIPMethod) {
        self.number = number
        self.method = method
    }

    static func parse(_ text: [UInt8], field: String) throws(SIPError) -> SIPCSeq {
        var scanner = SIPScanner(text, field: field)
        let digits = try scanner.read("a sequence number", while: SIPCharacters.isDigit)
        guard let number = SIPCharacters.decimal(digits, maximum: UInt64(SIPLimits.cseqLimit - 1)) else {
            throw scanner.fail("sequence number not below 2**31")
        }
        let before = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > before, let method = SIPMethod(bytes: try scanner.readToken("a method")) else {
            throw scanner.fail("expected a method after the number")
        }
        try scanner.expectEnd()
        return SIPCSeq(number: UInt32(number), method: method)
    }

    public var bytes: [UInt8] {
        return SIPCharacters.decimalText(UInt64(number)) + [UInt8(ascii: " ")] + method.bytes
    }
}
