/// The user name of a certificate (RFC 6940 §11.3: one rfc822Name, "alice@overlay.example").
///
/// §11.3: "Enrollment servers SHOULD take care to allow only legal characters in the name (e.g.,
/// no embedded NULs)". We allow the common subset of RFC 5321 mailbox names: a local part of
/// letters, digits and . _ % + - (1 to 64), "@", and a domain of dot-separated labels of
/// letters, digits and - (each 1 to 63, none starting or ending with -). Verifiers apply the
/// same rule, so a certificate from elsewhere with a stranger name is refused, not mis-parsed.
public enum UserName {
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count <= CryptoLimits.maximumUserNameBytes,
            let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes.lastIndex(of: UInt8(ascii: "@")) == at
        else { return false }
        return isLocalPart(Array(bytes[..<at])) && isDomain(Array(bytes[(at + 1)...]))
    }

    static func isLocalPart(_ bytes: [UInt8]) -> Bool {
        let punctuation = Array("._%+-".utf8)
        return !bytes.isEmpty && bytes.count <= 64
            && bytes.allSatisfy { ReloadURI.isAlphanumeric($0) || punctuation.contains($0) }
    }

    static func isDomain(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.count <= CryptoLimits.maximumOverlayNameBytes else { return false }
        var label: [UInt8] = []
        for byte in bytes + [UInt8(ascii: ".")] {
            if byte != UInt8(ascii: ".") {
                label.append(byte)
                continue
            }
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ ReloadURI.isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
            label.removeAll()
        }
        return true
    }
}
