import Wire

/// The NSS key log format that Wireshark and tshark read (`tls.keylog_file`) to decrypt
/// TLS and DTLS captures: one line per session,
/// `CLIENT_RANDOM <ClientHello.random, 64 hex digits> <master secret, 96 hex digits>`.
/// The caller writes the lines to the file (`--keylog FILE`); Link only makes them.
public enum NSSKeyLog {
    public static let label = "CLIENT_RANDOM"
    /// Length of a line without its newline: label, two spaces, 64 and 96 hex digits.
    public static let lineLength = 13 + 1 + 64 + 1 + 96

    public static func line(clientRandom: [UInt8], masterSecret: [UInt8]) -> String {
        precondition(clientRandom.count == LinkLimits.helloRandomBytes)
        precondition(masterSecret.count == LinkLimits.masterSecretBytes)
        return "\(label) \(Hex.encode(clientRandom)) \(Hex.encode(masterSecret))"
    }
}
