import Config
import Crypto
import Enrollment
import HTTPS
import Link
import Platform
import Wire

/// `p2psip ca serve --dir DIR --listen ADDR:PORT`: the enrollment server (RFC 6940 §11.3) on
/// the single-threaded event loop: POST /enroll, GET /.well-known/reload-config, GET /crl over
/// TLS 1.2. Logs one line per request to standard output. SIGINT/SIGTERM stop it; SIGHUP, or
/// a change of the accounts file or crl.der (noticed within a second), reloads them.
enum CAServeCommand {
    static let usage = "ca serve --dir DIR --listen ADDR:PORT [--max-connections N] [--connection-time-limit-ms MS]"

    static func run(_ arguments: [String]) -> Int32 {
        do throws(CommandFailure) {
            try execute(arguments)
            return 0
        } catch {
            return error.report("ca serve", usage: usage)
        }
    }

    static func execute(_ arguments: [String]) throws(CommandFailure) {
        let options = try CommandOptions.parse(
            arguments, valued: ["--dir", "--listen", "--max-connections", "--connection-time-limit-ms"])
        let directory = CADirectory(path: try options.required("--dir"))
        let listen = try CAInitCommand.address(try options.required("--listen"), option: "--listen")
        let range = HTTPSLimits.maximumConnectionsRange
        let maximumConnections = Int(try options.integer(
            "--max-connections", in: Int64(range.lowerBound)...Int64(range.upperBound),
            default: Int64(HTTPSLimits.defaultMaximumConnections)))
        let limits = HTTPSLimits.connectionTimeLimitRange
        let timeLimit = UInt64(try options.integer(
            "--connection-time-limit-ms", in: Int64(limits.lowerBound)...Int64(limits.upperBound),
            default: Int64(HTTPSLimits.defaultConnectionTimeLimitMilliseconds)))
        let random = try CommandSupport.random()
        let handler = try EnrollmentServerHandler.load(directory, random: random)
        let tls = try tlsConfiguration(directory, random: random, timeLimitMilliseconds: timeLimit)
        let server: HTTPSServer<EnrollmentServerHandler>
        do throws(HTTPSError) {
            server = try HTTPSServer(
                listening: listen, configuration: tls, handler: handler, maximumConnections: maximumConnections,
                connectionTimeLimitMilliseconds: timeLimit)
            let bound = try server.localAddress()
            handler.log("serving overlay \(handler.overlayName) on https://\(bound.description) (process \(ProcessControl.processIdentifier), "
                + "\(maximumConnections) connections of at most \(timeLimit) ms)")
            try server.run()
        } catch {
            throw .failed(error.description)
        }
        handler.log("stopped after \(server.counters.answered) answers")
    }

    /// TLS 1.2 server with the server certificate; clients are not asked for one (they enroll
    /// to get one, §11.3). The handshake's own limit is the connection's.
    static func tlsConfiguration(
        _ directory: CADirectory, random: RandomGenerator, timeLimitMilliseconds: UInt64
    ) throws(CommandFailure) -> SecureSessionConfiguration {
        let key = try directory.key(CADirectory.serverKey)
        let certificate = try directory.certificate(CADirectory.serverCertificate)
        do throws(LinkError) {
            return try SecureSessionConfiguration(
                role: .server, transport: .stream, certificateChain: [certificate], privateKey: key, trust: .notRequested,
                random: random,
                timeouts: HandshakeTimeouts(
                    initialRetransmitMilliseconds: LinkLimits.rfcInitialRetransmitMilliseconds,
                    maximumRetransmitMilliseconds: LinkLimits.rfcMaximumRetransmitMilliseconds,
                    totalMilliseconds: timeLimitMilliseconds))
        } catch {
            throw .failed("\(directory.file(CADirectory.serverCertificate)): \(error.description)")
        }
    }
}
