/// A strict, bounded multipart/form-data parser (RFC 7578, on RFC 2046 §5.1.1), for the
/// enrollment POST of RFC 6940 §11.3 ("parameters encoded as described in [RFC2388]").
///
///     multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF body-part
///                       *encapsulation close-delimiter transport-padding [CRLF epilogue]
///     encapsulation := delimiter transport-padding CRLF body-part
///     delimiter := CRLF dash-boundary          dash-boundary := "--" boundary
///
/// Each part must carry `Content-Disposition: form-data; name="..."`; Content-Type is kept;
/// other part headers are ignored (RFC 7578 §4.8). Limits: HTTPLimits.maximumFormParts
/// parts, part headers of maximumPartHeaderBytes.
public enum MultipartFormData {
    /// The boundary parameter of a `multipart/form-data; boundary=...` Content-Type value.
    public static func boundary(contentType: String) throws(HTTPError) -> [UInt8] {
        let parameters = HeaderParameters.parse(Array(contentType.utf8))
        guard let parameters, HeaderParameters.lowercased(parameters.value) == Array("multipart/form-data".utf8) else {
            throw .malformedForm("Content-Type is not multipart/form-data")
        }
        guard let boundary = parameters.parameter("boundary"), !boundary.isEmpty,
            boundary.count <= HTTPLimits.maximumBoundaryBytes, boundary.last != 0x20,
            boundary.allSatisfy(isBoundaryCharacter)
        else { throw .malformedForm("missing or malformed boundary") }
        return boundary
    }

    /// bchars := bcharsnospace / " " ; bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" /
    /// "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?"
    static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return Array("'()+_,-./:=? ".utf8).contains(byte)
        }
    }

    /// The single entry point: the parts of `body` delimited by `boundary`.
    public static func parse(body: [UInt8], boundary: [UInt8]) throws(HTTPError) -> [FormPart] {
        let dashBoundary = Array("--".utf8) + boundary
        let delimiter = [0x0D, 0x0A] + dashBoundary
        // The first boundary may open the body, or follow a preamble and CRLF.
        var position: Int
        if startsWith(body, dashBoundary, at: 0) {
            position = dashBoundary.count
        } else if let found = find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw .malformedForm("no boundary in the body")
        }
        var parts: [FormPart] = []
        while true {
            if startsWith(body, Array("--".utf8), at: position) { return parts }  // close-delimiter; epilogue ignored
            position = try skipPaddingAndLineEnd(body, from: position)
            guard parts.count < HTTPLimits.maximumFormParts else {
                throw .malformedForm("more than \(HTTPLimits.maximumFormParts) parts")
            }
            guard let end = find(delimiter, in: body, from: position) else { throw .malformedForm("part without closing boundary") }
            parts.append(try parsePart(Array(body[position..<end])))
            position = end + delimiter.count
        }
    }

    /// transport-padding := *LWSP-char, then CRLF.
    static func skipPaddingAndLineEnd(_ body: [UInt8], from start: Int) throws(HTTPError) -> Int {
        var position = start
        while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
        guard startsWith(body, [0x0D, 0x0A], at: position) else { throw .malformedForm("boundary not followed by CRLF") }
        return position + 2
    }

    /// body-part := MIME-part-headers [CRLF *OCTET]
    static func parsePart(_ part: [UInt8]) throws(HTTPError) -> FormPart {
        let headerEnd: Int
        let contentStart: Int
        if startsWith(part, [0x0D, 0x0A], at: 0) {
            throw .malformedForm("part without Content-Disposition")
        } else if let end = find([0x0D, 0x0A, 0x0D, 0x0A], in: part, from: 0) {
            headerEnd = end
            contentStart = end + 4
        } else {
            throw .malformedForm("part headers not ended by an empty line")
        }
        guard headerEnd <= HTTPLimits.maximumPartHeaderBytes else { throw .malformedForm("part headers too long") }
        let lines = split(lines: Array(part[0..<headerEnd]))
        guard lines.count <= HTTPLimits.maximumPartHeaderFields else { throw .malformedForm("too many part headers") }
        var disposition: HeaderParameters? = nil
        var contentType: String? = nil
        for line in lines {
            guard let field = HTTPRequestParser.parseField(ArraySlice(line)) else { throw .malformedForm("malformed part header") }
            switch HTTPRequest.lowercased(field.name) {
            case "content-disposition":
                guard disposition == nil, let parsed = HeaderParameters.parse(Array(field.value.utf8)) else {
                    throw .malformedForm("malformed or repeated Content-Disposition")
                }
                disposition = parsed
            case "content-type":
                guard contentType == nil else { throw .malformedForm("repeated Content-Type") }
                contentType = field.value
            default:
                continue
            }
        }
        guard let disposition, HeaderParameters.lowercased(disposition.value) == Array("form-data".utf8),
            let name = disposition.parameter("name"), !name.isEmpty, name.count <= HTTPLimits.maximumFormNameBytes
        else { throw .malformedForm("part without Content-Disposition: form-data; name=...") }
        return FormPart(
            name: String(decoding: name, as: UTF8.self), filename: disposition.parameter("filename").map { String(decoding: $0, as: UTF8.self) },
            contentType: contentType, content: Array(part[contentStart...]))
    }

    static func split(lines: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        while let end = find([0x0D, 0x0A], in: lines, from: start) {
            result.append(Array(lines[start..<end]))
            start = end + 2
        }
        result.append(Array(lines[start...]))
        return result
    }

    static func startsWith(_ bytes: [UInt8], _ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, bytes.count - offset >= prefix.count else { return false }
        for index in 0..<prefix.count where bytes[offset + index] != prefix[index] { return false }
        return true
    }

    package static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && startsWith(haystack, needle, at: index) { return index }
            index += 1
        }
        return nil
    }
}
