import Config
import Crypto
import Enrollment
import HTTPS
import Link
import Platform
import Wire

/// `p2psip enroll --server URL --user NAME --password-file FILE --dir DIR [--root-cert FILE]`:
/// RFC 6940 §11.2 and §11.3 from the node's side. Over TLS checked against the root the user
/// trusts (`--root-cert`, or DIR/root-cert.pem put there beforehand; p2psip never trusts a root
/// on first use: the password travels over this connection), it fetches the configuration and
/// checks its signatures, makes a P-256 key and a CSR, posts them with the account's name and
/// password, checks that the certificate certifies our key, chains to the root (basic
/// constraints included) and carries well-formed Node-IDs and our user name, and stores key
/// (0600), certificate, root and configuration in DIR. Every network step has a time limit.
enum EnrollCommand {
    static let usage = """
        enroll --server URL --user NAME --password-file FILE --dir DIR [--root-cert FILE] \
        [--connect ADDR:PORT] [--overlay NAME] [--node-ids N] [--timeout-ms MS]
        """

    struct Options {
        var location: HTTPSLocation
        var address: SocketAddress
        var user: String
        var password: [UInt8]
        var directory: String
        var rootCertificate: Certificate
        var overlay: String?
        var nodeIds: Int?
        var timeLimitMilliseconds: UInt64
    }

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--renew") { return runRenewal(arguments) }
        do throws(CommandFailure) {
            let options = try parse(arguments)
            try execute(options)
            return 0
        } catch {
            return error.report("enroll", usage: usage)
        }
    }

    static func parse(_ arguments: [String]) throws(CommandFailure) -> Options {
        let parsed = try CommandOptions.parse(
            arguments,
            valued: ["--server", "--user", "--password-file", "--dir", "--root-cert", "--connect", "--overlay", "--node-ids",
                     "--timeout-ms"])
        let location = try serverLocation(try parsed.required("--server"))
        let user = try parsed.required("--user")
        guard user.utf8.count <= EnrollmentLimits.maximumUserNameBytes + CryptoLimits.maximumOverlayNameBytes + 1,
            user.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw .usage("--user '\(user)' must be a printable account name") }
        let directory = try parsed.required("--dir")
        let passwordFile = try parsed.required("--password-file")
        let address = try connectAddress(parsed, location: location)
        var rootPath = parsed.value("--root-cert") ?? ""
        if rootPath.isEmpty { rootPath = try defaultRoot(directory) }
        let nodeIds = parsed.value("--node-ids") == nil
            ? nil : Int(try parsed.integer("--node-ids", in: 1...Int64(CryptoLimits.maximumNodeIdsPerCertificate), default: 1))
        let limits = HTTPSLimits.connectionTimeLimitRange
        let time = try parsed.integer("--timeout-ms", in: Int64(limits.lowerBound)...Int64(limits.upperBound), default: 10_000)
        return Options(
            location: location, address: address, user: user,
            password: try CommandSupport.readPassword(passwordFile, option: "--password-file"), directory: directory,
            rootCertificate: try readRoot(rootPath), overlay: parsed.value("--overlay"), nodeIds: nodeIds,
            timeLimitMilliseconds: UInt64(time))
    }

    static func serverLocation(_ url: String) throws(CommandFailure) -> HTTPSLocation {
        do throws(HTTPSError) {
            return try HTTPSLocation.parse(url)
        } catch {
            throw .usage("--server: \(error.description)")
        }
    }

    /// p2psip does not resolve names (a blocking resolver cannot be bounded in time): an IP
    /// literal in the URL, or --connect for a URL with a DNS name.
    static func connectAddress(_ parsed: CommandOptions, location: HTTPSLocation) throws(CommandFailure) -> SocketAddress {
        if let text = parsed.value("--connect") { return try CAInitCommand.address(text, option: "--connect") }
        guard location.hostIsAddress, let address = SocketAddress.parse(location.socketAddress) else {
            throw .usage("--server host \(location.host) is a name; p2psip does not resolve names: add --connect ADDR:PORT")
        }
        return address
    }

    static func defaultRoot(_ directory: String) throws(CommandFailure) -> String {
        let path = directory + "/" + IdentityDirectory.rootCertificate
        guard FileSystem.exists(path) else {
            throw .usage("no trust anchor: give --root-cert FILE (the CA's root-cert.pem, copied out of band); "
                + "p2psip never trusts a root on first use")
        }
        return path
    }

    static func readRoot(_ path: String) throws(CommandFailure) -> Certificate {
        let bytes: [UInt8]
        do throws(PlatformError) {
            bytes = try FileSystem.readFile(path, maximumBytes: CADirectory.maximumKeyOrCertificateBytes)
        } catch {
            throw .failed("--root-cert: \(error.description)")
        }
        do throws(CryptoError) {
            let root = try Certificate.parse(bytes)
            guard root.isCertificateAuthority else { throw CryptoError.malformed("not a CA certificate") }
            return root
        } catch {
            throw .failed("--root-cert \(path): \(error.description)")
        }
    }
}
