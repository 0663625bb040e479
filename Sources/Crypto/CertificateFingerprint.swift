import Wire

/// A certificate's SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it
/// ("AB:CD:..."), for people comparing certificates by eye.
public enum CertificateFingerprint {
    public static func sha256(_ der: [UInt8]) -> String {
        let hex = Hex.encode(SHA256.hash(der)).utf8.map { $0 >= 0x61 && $0 <= 0x66 ? $0 - 0x20 : $0 }
        var out: [UInt8] = []
        for (index, digit) in hex.enumerated() {
            if index > 0 && index % 2 == 0 { out.append(UInt8(ascii: ":")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
