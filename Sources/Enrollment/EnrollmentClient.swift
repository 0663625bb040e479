import Crypto
import HTTP
import Wire

/// The pure parts of `p2psip enroll` (RFC 6940 §11.3): the request bytes to send over TLS,
/// and the judgement of the answer. The networked part generates the key and CSR
/// (PrivateKey, CertificateSigningRequest), connects, sends `enrollRequest`, feeds the answer
/// to an HTTPResponseParser and calls `interpret`.
public enum EnrollmentClient {
    /// A multipart boundary no CSR or password can contain by chance.
    public static func boundary(using random: RandomGenerator) throws(CryptoError) -> [UInt8] {
        return Array(("p2psip-" + Hex.encode(try random.bytes(16))).utf8)
    }

    /// `POST /enroll` with username, password, optional nodeids and the csr part
    /// (application/pkcs10), and `Accept: application/pkix-cert` (§11.3).
    public static func enrollRequest(
        host: String, path: String = "/enroll", username: String, password: [UInt8], nodeIds: Int?, csr: [UInt8],
        boundary: [UInt8]
    ) -> [UInt8] {
        var parts: [(name: String, content: [UInt8], type: String?)] = [("username", Array(username.utf8), nil), ("password", password, nil)]
        if let nodeIds { parts.append(("nodeids", Array("\(nodeIds)".utf8), nil)) }
        parts.append(("csr", csr, "application/pkcs10"))
        return formRequest(host: host, path: path, parts: parts, boundary: boundary)
    }

    /// A renewal (EnrollmentRequest): username, the certificate to renew
    /// (application/pkix-cert) and a CSR signed by its key; no password.
    public static func renewRequest(
        host: String, path: String = "/enroll", username: String, certificate: [UInt8], csr: [UInt8], boundary: [UInt8]
    ) -> [UInt8] {
        return formRequest(host: host, path: path, parts: [
            ("username", Array(username.utf8), nil), ("certificate", certificate, "application/pkix-cert"),
            ("csr", csr, "application/pkcs10"),
        ], boundary: boundary)
    }

    static func formRequest(
        host: String, path: String, parts: [(name: String, content: [UInt8], type: String?)], boundary: [UInt8]
    ) -> [UInt8] {
        let dash = Array("--".utf8) + boundary
        var body: [UInt8] = []
        for part in parts {
            body += dash + Array("\r\nContent-Disposition: form-data; name=\"\(part.name)\"".utf8)
            if part.name == "csr" { body += Array("; filename=\"request.csr\"".utf8) }
            body += Array("\r\n".utf8)
            if let type = part.type { body += Array("Content-Type: \(type)\r\n".utf8) }
            body += Array("\r\n".utf8) + part.content + Array("\r\n".utf8)
        }
        body += dash + Array("--\r\n".utf8)
        let head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: application/pkix-cert\r\n"
            + "Content-Type: multipart/form-data; boundary=\(String(decoding: boundary, as: UTF8.self))\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// The answer to a renewal: as `interpret`, and the renewed certificate names the same
    /// user and Node-IDs as `current` (§11.3: the same Node-IDs for a returning user) and
    /// lasts longer.
    public static func interpretRenewal(
        _ response: HTTPClientResponse, current: VerifiedIdentity, publicKey: [UInt8], verifier: IdentityVerifier,
        now: CertificateTime
    ) -> EnrollmentResult {
        let result = interpret(response, publicKey: publicKey, verifier: verifier, now: now)
        guard case .enrolled(_, let identity) = result else { return result }
        guard identity.userName == current.userName, identity.nodeIds == current.nodeIds else {
            return .invalid("the renewed certificate names another user or other Node-IDs")
        }
        guard identity.notAfter > current.notAfter else { return .invalid("the renewed certificate does not last longer") }
        return result
    }

    /// `GET path` (the configuration document, the CRL).
    public static func getRequest(host: String, path: String) -> [UInt8] {
        return Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
    }

    /// §11.3: "The client MUST check that the returned certificate chains back to one of the
    /// certificates received in the root-cert list of the overlay configuration data
    /// (including PKIX BasicConstraints checks). The node then reads the certificate to find
    /// the Node-ID it can use." We also check that it certifies our own key.
    public static func interpret(
        _ response: HTTPClientResponse, publicKey: [UInt8], verifier: IdentityVerifier, now: CertificateTime
    ) -> EnrollmentResult {
        guard response.status == 200 else {
            let token = String(decoding: response.body.prefix(64).filter { $0 > 0x20 && $0 < 0x7F }, as: UTF8.self)
            return .refused(status: response.status, token: token)
        }
        guard let type = response.value(of: "Content-Type"),
            HTTPRequest.lowercased(type).hasPrefix("application/pkix-cert")
        else { return .invalid("answer is not application/pkix-cert") }
        do throws(CryptoError) {
            let certificate = try Certificate(der: response.body)
            guard try certificate.publicKeyDER() == publicKey else { return .invalid("certificate is not for our key") }
            let identity = try verifier.verify(chain: [certificate], now: now)
            guard !identity.isSelfSigned else { return .invalid("enrollment answered a self-signed certificate") }
            return .enrolled(certificate: certificate, identity: identity)
        } catch {
            return .invalid(error.description)
        }
    }
}
