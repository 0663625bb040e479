import Crypto
import Reload

// The forwarding header carries the overlay hash as a value; computing it needs SHA-1, so it
// lives here over Crypto rather than in the codec.
extension ForwardingHeader {
    /// §6.3.2: "the lower 32 bits of the SHA-1 hash of the overlay name", i.e. the last four
    /// bytes of the digest read as a big-endian integer.
    public static func overlayHash(name: String) -> UInt32 {
        let digest = SHA1.hash(Array(name.utf8))
        var value: UInt32 = 0
        for byte in digest[(digest.count - 4)...] { value = value << 8 | UInt32(byte) }
        return value
    }
}
