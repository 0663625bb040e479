/// A multipart/form-data body (RFC 7578) as curl sends one, for the HTTP and enrollment tests:
/// each part a name, an optional content type (then it is a file, "req.der"), and its bytes.
public enum MultipartBody {
    public static let boundary = "------------------------a1b2c3d4e5f6"

    public static func make(_ parts: [(String, String?, [UInt8])], preamble: String = "", epilogue: String = "") -> [UInt8] {
        var out = Array(preamble.utf8)
        if !preamble.isEmpty { out += [0x0D, 0x0A] }
        for (name, type, content) in parts {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"".utf8)
            if type != nil { out += Array("; filename=\"req.der\"".utf8) }
            out += [0x0D, 0x0A]
            if let type { out += Array("Content-Type: \(type)\r\n".utf8) }
            out += [0x0D, 0x0A] + content + [0x0D, 0x0A]
        }
        out += Array("--\(boundary)--\r\n\(epilogue)".utf8)
        return out
    }
}
