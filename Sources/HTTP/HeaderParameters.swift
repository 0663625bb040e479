/// A header value with parameters, as Content-Type and Content-Disposition carry them
/// (RFC 9110 §5.6.6): `value *( OWS ";" OWS name "=" ( token / quoted-string ) )`.
/// `package`: Enrollment compares media types with `lowercased` (RFC 9110 §8.3.1: they are
/// case-insensitive) without this type joining the public API.
package struct HeaderParameters {
    let value: [UInt8]
    let parameters: [(name: [UInt8], value: [UInt8])]

    static let maximumParameters = 8

    /// The value of parameter `name` (case-insensitive); nil if absent.
    func parameter(_ name: String) -> [UInt8]? {
        let wanted = Array(name.utf8)
        return parameters.first { HeaderParameters.lowercased($0.name) == wanted }?.value
    }

    package static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        return bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// nil when malformed, or when a parameter repeats.
    static func parse(_ text: [UInt8]) -> HeaderParameters? {
        var index = 0
        let value = readToken(text, &index, allowSlash: true)
        guard !value.isEmpty else { return nil }
        var parameters: [(name: [UInt8], value: [UInt8])] = []
        while true {
            skipSpace(text, &index)
            if index == text.count { return HeaderParameters(value: value, parameters: parameters) }
            guard text[index] == UInt8(ascii: ";"), parameters.count < maximumParameters else { return nil }
            index += 1
            skipSpace(text, &index)
            let name = readToken(text, &index, allowSlash: false)
            guard !name.isEmpty, index < text.count, text[index] == UInt8(ascii: "=") else { return nil }
            index += 1
            let parameterValue: [UInt8]
            if index < text.count, text[index] == UInt8(ascii: "\"") {
                guard let quoted = readQuoted(text, &index) else { return nil }
                parameterValue = quoted
            } else {
                parameterValue = readToken(text, &index, allowSlash: false)
                guard !parameterValue.isEmpty else { return nil }
            }
            guard !parameters.contains(where: { lowercased($0.name) == lowercased(name) }) else { return nil }
            parameters.append((name, parameterValue))
        }
    }

    static func skipSpace(_ text: [UInt8], _ index: inout Int) {
        while index < text.count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
    }

    static func readToken(_ text: [UInt8], _ index: inout Int, allowSlash: Bool) -> [UInt8] {
        let start = index
        while index < text.count,
            HTTPRequestParser.isTokenCharacter(text[index]) || (allowSlash && text[index] == UInt8(ascii: "/"))
        {
            index += 1
        }
        return Array(text[start..<index])
    }

    /// quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
    static func readQuoted(_ text: [UInt8], _ index: inout Int) -> [UInt8]? {
        index += 1
        var out: [UInt8] = []
        while index < text.count {
            let byte = text[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return out }
            if byte == UInt8(ascii: "\\") {
                guard index < text.count else { return nil }
                out.append(text[index])
                index += 1
                continue
            }
            out.append(byte)
        }
        return nil
    }
}
