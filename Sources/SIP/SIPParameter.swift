/// One `;name=value` (or `;name`) of a URI, a name-addr, a Via or a Contact (RFC 3261 §25.1
/// generic-param, uri-parameter). Names are case-insensitive and kept in lower case; values
/// are kept as written (a quoted value with its quotes), since some are case-sensitive (tag).
public struct SIPParameter: Equatable, Sendable {
    public let name: [UInt8]
    public let value: [UInt8]?

    public init(name: [UInt8], value: [UInt8]?) {
        self.name = SIPCharacters.lowercased(name)
        self.value = value
    }

    public init(_ name: String, _ value: String?) {
        self.init(name: Array(name.utf8), value: value.map { Array($0.utf8) })
    }
}

extension Array where Element == SIPParameter {
    /// The parameter named `name` (lower case); nil when absent.
    public func parameter(_ name: String) -> SIPParameter? {
        let wanted = [UInt8](name.utf8)
        for parameter in self where parameter.name == wanted { return parameter }
        return nil
    }

    /// The value of `name`; nil when absent or without a value.
    public func value(_ name: String) -> [UInt8]? {
        return parameter(name)?.value
    }

    /// Replaces or appends `name=value`.
    public mutating func set(_ name: String, _ value: [UInt8]?) {
        let parameter = SIPParameter(name: [UInt8](name.utf8), value: value)
        if let index = firstIndex(where: { $0.name == parameter.name }) {
            self[index] = parameter
        } else {
            append(parameter)
        }
    }

    func write(to output: inout [UInt8]) {
        for parameter in self {
            output.append(UInt8(ascii: ";"))
            output += parameter.name
            if let value = parameter.value {
                output.append(UInt8(ascii: "="))
                output += value
            }
        }
    }
}

extension SIPScanner {
    /// *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ], gen-value = token /
    /// host / quoted-string. A repeated name is refused (RFC 3261 §19.1.4: "any two URIs
    /// with the same parameter twice" are not meaningful; for header parameters it is
    /// ambiguous which value counts).
    mutating func readGenericParameters() throws(SIPError) -> [SIPParameter] {
        var parameters: [SIPParameter] = []
        while skipSeparator(UInt8(ascii: ";")) {
            let name = try readToken("a parameter name")
            var value: [UInt8]? = nil
            if skipSeparator(UInt8(ascii: "=")) {
                if current == UInt8(ascii: "\"") {
                    value = try readQuotedString("parameter value")
                } else {
                    value = try read("a parameter value") { SIPCharacters.isToken($0) || SIPCharacters.isAny($0, of: "[]:") }
                }
            }
            let parameter = SIPParameter(name: name, value: value)
            guard !parameters.contains(where: { $0.name == parameter.name }) else { throw fail("repeated parameter") }
            guard parameters.count < SIPLimits.maximumParameters else {
                throw .tooManyHeaders(field: field, limit: SIPLimits.maximumParameters)
            }
            parameters.append(parameter)
        }
        return parameters
    }
}
