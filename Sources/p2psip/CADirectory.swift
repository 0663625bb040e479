import Crypto
import Enrollment
import Platform

/// The files of an enrollment server in a directory: the POSIX edge of Enrollment's CA logic
/// (CAFiles, CAInitAuthority, EnrollmentServer, CARevocation, CAUsers), which says what is
/// read and written. Keys are mode 0600, the directory 0700. The methods that throw
/// CommandFailure are for the commands (and the peer, which reads its identity the same way).
struct CADirectory: CAFileStore {
    let path: String

    static let rootKey = CAFileNames.rootKey
    static let rootCertificate = CAFileNames.rootCertificate
    static let serverKey = CAFileNames.serverKey
    static let serverCertificate = CAFileNames.serverCertificate
    static let configuration = CAFileNames.configuration
    static let accounts = CAFileNames.accounts
    static let ledger = CAFileNames.ledger
    static let revocationList = CAFileNames.revocationList
    static let maximumKeyOrCertificateBytes = EnrollmentLimits.maximumKeyOrCertificateBytes

    var location: String { path }
    var files: CAFiles<CADirectory> { CAFiles(store: self) }

    func file(_ name: String) -> String { path + "/" + name }

    func path(_ name: String) -> String { file(name) }

    func read(_ name: String, maximumBytes: Int) throws(CAError) -> [UInt8] {
        do throws(PlatformError) {
            return try FileSystem.readFile(file(name), maximumBytes: maximumBytes)
        } catch {
            throw CAError(error.description)
        }
    }

    func write(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError) {
        do throws(PlatformError) {
            try FileSystem.writeFileAtomically(file(name), bytes, mode: mode)
        } catch {
            throw CAError(error.description)
        }
    }

    func append(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CAError) {
        do throws(PlatformError) {
            try FileSystem.append(file(name), bytes, mode: mode)
        } catch {
            throw CAError(error.description)
        }
    }

    func key(_ name: String) throws(CommandFailure) -> PrivateKey {
        return try CommandFailure.failing { () throws(CAError) in try files.key(name) }
    }

    func certificate(_ name: String) throws(CommandFailure) -> Certificate {
        return try CommandFailure.failing { () throws(CAError) in try files.certificate(name) }
    }
}

extension CommandFailure {
    /// Runs a CA operation; its failure is the command's, with the same message.
    static func failing<T>(_ body: () throws(CAError) -> T) throws(CommandFailure) -> T {
        do throws(CAError) {
            return try body()
        } catch {
            throw .failed(error.message)
        }
    }
}
