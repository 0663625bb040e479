import Reload
import Wire

/// The error `Message.decode` throws for `bytes`, or nil when they decode.
func decodeError(_ bytes: [UInt8], _ configuration: CodecConfiguration = Samples.configuration) -> ReloadError? {
    do throws(ReloadError) {
        _ = try Message.decode(bytes, configuration)
        return nil
    } catch {
        return error
    }
}

/// The WireError inside a `.malformed` error.
func wireError(_ bytes: [UInt8], _ configuration: CodecConfiguration = Samples.configuration) -> WireError? {
    if case .malformed(let wire)? = decodeError(bytes, configuration) { return wire }
    return nil
}

/// The error a ReloadCodable decode throws for `bytes`, or nil.
func structureError<T: ReloadCodable>(_ type: T.Type, _ bytes: [UInt8], _ configuration: CodecConfiguration = Samples.configuration) -> WireError? {
    do throws(WireError) {
        _ = try T.decode(bytes: bytes, configuration)
        return nil
    } catch {
        return error
    }
}

func setUInt32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32) {
    for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * index)) }
}

func setUInt16(_ bytes: inout [UInt8], at offset: Int, _ value: UInt16) {
    bytes[offset] = UInt8(value >> 8)
    bytes[offset + 1] = UInt8(value & 0xFF)
}

func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
}

func readUInt16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
    return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
}

/// Offsets of the parts of an encoded message.
struct Layout {
    let headerLength: Int
    let viaStart: Int
    let destinationStart: Int
    let optionsStart: Int
    let contentsStart: Int
    let bodyLengthOffset: Int
    let extensionsLengthOffset: Int
    let securityStart: Int

    init(_ bytes: [UInt8]) {
        let via = Int(readUInt16(bytes, at: 32))
        let destinations = Int(readUInt16(bytes, at: 34))
        let options = Int(readUInt16(bytes, at: 36))
        viaStart = 38
        destinationStart = 38 + via
        optionsStart = destinationStart + destinations
        headerLength = optionsStart + options
        contentsStart = headerLength
        bodyLengthOffset = contentsStart + 2
        let body = Int(readUInt32(bytes, at: bodyLengthOffset))
        extensionsLengthOffset = bodyLengthOffset + 4 + body
        securityStart = extensionsLengthOffset + 4 + Int(readUInt32(bytes, at: extensionsLengthOffset))
    }
}
