import CMbedTLS

/// Facts about the linked mbedTLS library.
public enum MbedTLS {
    /// "2.28.3": the version of the library actually linked (not of the headers).
    public static var version: String {
        var buffer = [CChar](repeating: 0, count: 18)
        buffer.withUnsafeMutableBufferPointer { mbedtls_version_get_string($0.baseAddress) }
        return string(fromNulTerminated: buffer)
    }

    /// mbedTLS's text for an error code, e.g. "ECP - The signature is not valid".
    public static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 160)
        buffer.withUnsafeMutableBufferPointer { mbedtls_strerror(code, $0.baseAddress, $0.count) }
        return string(fromNulTerminated: buffer)
    }

    static func string(fromNulTerminated buffer: [CChar]) -> String {
        var bytes: [UInt8] = []
        for character in buffer {
            if character == 0 { break }
            bytes.append(UInt8(bitPattern: character))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
