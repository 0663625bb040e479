import Wire

/// §6.3.3.1 ErrorResponse: error_code u16 ‖ error_info opaque<0..2^16-1>. error_info is UTF-8
/// text unless the code says otherwise: a StoreAns for Error_Generation_Counter_Too_Low
/// (§7.4.1.2) and `KindId unknown_kinds<0..2^8-1>` for Error_Unknown_Kind.
public struct ErrorResponse: Equatable, ReloadCodable, Sendable {
    public static let rfcName = "ErrorResponse"
    public var code: ErrorCode
    public var info: [UInt8]

    public init(code: ErrorCode, info: [UInt8] = []) {
        self.code = code
        self.info = info
    }

    /// An error whose error_info is a text for the developer (§6.3.3.1).
    public init(code: ErrorCode, text: String) {
        self.init(code: code, info: Array(text.utf8))
    }

    /// §7.4.1.2: Error_Unknown_Kind listing every kind that was not recognized.
    public static func unknownKinds(_ kinds: [KindId]) throws(WireError) -> ErrorResponse {
        var writer = ByteWriter(capacity: 1 + 4 * kinds.count)
        try writer.writeList(kinds, 1, countLimit: ReloadLimits.kindsPerMessage, "ErrorResponse.unknown_kinds")
        return ErrorResponse(code: .unknownKind, info: writer.bytes)
    }

    /// §7.4.1.2: Error_Generation_Counter_Too_Low carrying the current StoreAns.
    public static func generationCounterTooLow(_ answer: StoreAns) throws(WireError) -> ErrorResponse {
        return ErrorResponse(code: .generationCounterTooLow, info: try answer.encoded())
    }

    /// The kinds of an Error_Unknown_Kind.
    public func unknownKinds(_ configuration: CodecConfiguration = CodecConfiguration()) throws(WireError) -> [KindId] {
        var reader = ByteReader(info)
        let kinds: [KindId] = try reader.readList(
            1, countLimit: ReloadLimits.kindsPerMessage, "ErrorResponse.unknown_kinds", configuration)
        try reader.expectEnd("ErrorResponse.error_info")
        return kinds
    }

    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ErrorResponse {
        let start = reader.offset
        let raw = try reader.readUInt16("ErrorResponse.error_code")
        guard let code = ErrorCode(rawValue: raw) else {
            throw .invalidValue(field: "ErrorResponse.error_code", offset: start, value: UInt64(raw))
        }
        let info = try reader.readOpaque(2, "ErrorResponse.error_info", configuration)
        return ErrorResponse(code: code, info: info)
    }

    public func encode(to writer: inout ByteWriter) throws(WireError) {
        writer.writeUInt16(code.rawValue)
        try writer.writeOpaque(info, lengthWidth: 2, "ErrorResponse.error_info")
    }
}
