import CMbedTLS

/// Why a secure session could not be set up or failed. Handshake failures are named after the
/// condition (certificate problem, alert, timeout) so callers and tests compare cases, not
/// mbedTLS codes; anything else keeps mbedTLS's code.
public enum LinkError: Error, Equatable {
    /// The configuration cannot work (key does not match the certificate, too many anchors).
    case invalidConfiguration(String)
    /// An mbedTLS call failed while setting something up.
    case library(operation: String, code: Int32)
    /// `send` before the handshake completed or after the session ended.
    case notEstablished
    /// `send` with more plaintext than one datagram (or one stream send) can carry.
    case plaintextTooLarge(length: Int, limit: Int)
    /// The peer's certificate chain failed verification against our trust anchors.
    case certificateRejected(CertificateProblems)
    /// The check inside the handshake refused the peer's chain (`HandshakeCertificateCheck`):
    /// the link authenticator's reason; the peer got the fitting fatal alert.
    case certificateRefused(LinkAuthenticationRefusal)
    /// The handshake completed without a peer certificate (mutual authentication is required:
    /// RFC 6940 §6.6.1 "Endpoint authentication").
    case peerCertificateMissing
    /// The peer sent a fatal alert (RFC 5246 §7.2), e.g. because it refused our certificate.
    case alertReceived(AlertDescription)
    /// No completed handshake before the retransmission limit (RFC 6347 §4.2.4) or our total
    /// handshake time limit.
    case handshakeTimeout
    /// A new ClientHello from the same address on an established DTLS session (RFC 6347
    /// §4.2.8): the peer restarted; the session is over and the listener takes the next hello.
    case peerReconnected
    /// mbedTLS wrote more than our bounded transport queue takes in one call.
    case transportOverflow
    /// Any other failure of the TLS/DTLS protocol, with mbedTLS's code.
    case protocolFailure(code: Int32)

    public var description: String {
        switch self {
        case .invalidConfiguration(let what): return "invalid configuration: \(what)"
        case .library(let operation, let code): return "\(operation) failed (-0x\(LinkError.hex(code)))"
        case .notEstablished: return "session not established"
        case .plaintextTooLarge(let length, let limit): return "plaintext of \(length) bytes (limit \(limit))"
        case .certificateRejected(let problems): return "peer certificate rejected: \(problems.description)"
        case .certificateRefused(let refusal): return "peer certificate refused in the handshake: \(refusal.description)"
        case .peerCertificateMissing: return "peer sent no certificate"
        case .alertReceived(let alert): return "peer sent fatal alert \(alert.description)"
        case .handshakeTimeout: return "handshake timed out"
        case .peerReconnected: return "peer started a new handshake from the same address"
        case .transportOverflow: return "transport queue overflow"
        case .protocolFailure(let code): return "TLS/DTLS failure (-0x\(LinkError.hex(code)))"
        }
    }

    static func hex(_ code: Int32) -> String {
        let magnitude = code < 0 ? UInt32(-Int64(code)) : UInt32(code)
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        var shift: UInt32 = 12
        while true {
            text.append(digits[Int((magnitude >> shift) & 0xF)])
            if shift == 0 { break }
            shift -= 4
        }
        return text
    }

    /// Sorts an mbedTLS code returned while the session runs into a failure reason.
    static func fromSession(code: Int32, context: UnsafePointer<mbedtls_ssl_context>) -> LinkError {
        switch code {
        case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
            return .certificateRejected(CertificateProblems(rawValue: mbedtls_ssl_get_verify_result(context)))
        case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
            let description = p2psip_ssl_last_alert_description(context)
            guard description >= 0 && description <= 255 else { return .protocolFailure(code: code) }
            return .alertReceived(AlertDescription(rawValue: UInt8(description)))
        case MBEDTLS_ERR_SSL_TIMEOUT:
            return .handshakeTimeout
        case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE, MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED:
            return .peerCertificateMissing
        case MBEDTLS_ERR_SSL_CLIENT_RECONNECT:
            return .peerReconnected
        default:
            return .protocolFailure(code: code)
        }
    }
}
