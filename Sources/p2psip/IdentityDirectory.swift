import Crypto
import Platform

/// The files of a node's identity, as `p2psip enroll` and `p2psip identity self-signed` write
/// them (the same names either way, so a peer can use either):
///
///     key.pem            the node's P-256 private key (0600)
///     cert.pem           its certificate: issued by the overlay's root, or self-signed
///     root-cert.pem      the root it trusts (enrolled identities)
///     reload-config.xml  the overlay configuration document (signed when it came from a CA)
struct IdentityDirectory {
    let path: String

    static let key = "key.pem"
    static let certificate = "cert.pem"
    static let rootCertificate = "root-cert.pem"
    static let configuration = "reload-config.xml"

    func file(_ name: String) -> String { path + "/" + name }

    /// Refuses a DIR that already holds a key or certificate, so that an identity is never
    /// overwritten by accident (checked before any work, again before writing).
    func checkEmpty() throws(CommandFailure) {
        for name in [IdentityDirectory.key, IdentityDirectory.certificate] where FileSystem.exists(file(name)) {
            throw .failed("\(file(name)) exists: \(path) already holds an identity (use another --dir)")
        }
    }

    /// Creates DIR (0700) if missing, once there is something to write.
    func create() throws(CommandFailure) {
        try checkEmpty()
        do throws(PlatformError) {
            try FileSystem.makeDirectory(path, mode: 0o700, createParents: true)
        } catch {
            throw .failed(error.description)
        }
    }

    func write(_ name: String, _ bytes: [UInt8], mode: UInt32) throws(CommandFailure) {
        try CommandSupport.writeFile(file(name), bytes, mode: mode)
    }

    /// Creates DIR and writes key.pem (0600) and cert.pem: the identity itself.
    func store(key: PrivateKey, certificate: [UInt8]) throws(CommandFailure) {
        let keyPEM: [UInt8]
        do throws(CryptoError) {
            keyPEM = try key.pemEncoded()
        } catch {
            throw .failed("key: \(error.description)")
        }
        try create()
        try write(IdentityDirectory.key, keyPEM, mode: 0o600)
        try write(IdentityDirectory.certificate, PEM.encode(certificate, label: "CERTIFICATE"), mode: 0o644)
    }
}
