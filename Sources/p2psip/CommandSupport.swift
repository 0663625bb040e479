import Crypto
import Enrollment
import Platform
import Wire

/// Small things the identity commands share: randomness, certificate times, fingerprints,
/// password files.
enum CommandSupport {
    /// The CTR-DRBG seeded from the operating system.
    static func random() throws(CommandFailure) -> RandomGenerator {
        do throws(CryptoError) {
            return try RandomGenerator(source: .operatingSystem)
        } catch {
            throw .failed("random generator: \(error.description)")
        }
    }

    /// "AB:CD:..." as `openssl x509 -fingerprint -sha256` prints it.
    static func fingerprint(_ der: [UInt8]) -> String { CertificateFingerprint.sha256(der) }

    /// A password file: the password is its first line (a final LF or CRLF is not part of
    /// it); at most CryptoLimits.maximumPasswordBytes; no NUL, not empty.
    static func readPassword(_ path: String, option: String) throws(CommandFailure) -> [UInt8] {
        var bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(path, maximumBytes: CryptoLimits.maximumPasswordBytes + 2)
        } catch {
            throw .failed("\(option): \(error.description)")
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= CryptoLimits.maximumPasswordBytes, !bytes.contains(0), !bytes.contains(0x0A) else {
            throw .failed("\(option) \(path): the password must be one line of 1 to \(CryptoLimits.maximumPasswordBytes) bytes")
        }
        return bytes
    }

    /// Writes a whole file atomically with `mode` (keys: 0600).
    static func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) throws(CommandFailure) {
        do throws(PlatformError) {
            try FileSystem.writeFileAtomically(path, bytes, mode: mode)
        } catch {
            throw .failed(error.description)
        }
    }

    /// The certificate time of `time` (to the second), never later than CAValidity.latestNotAfter.
    static func certificateTime(_ time: WallTime) -> CertificateTime {
        return CAValidity.certificateTime(time)
    }
}
