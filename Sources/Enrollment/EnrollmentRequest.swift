import HTTP
/// The fields of an enrollment POST (RFC 6940 §11.3), as sent; EnrollmentAuthority judges them.
///
/// "If authentication is required, there MUST be form parameters of "password" and
/// "username" ... If more than one Node-ID is required, there MUST be a form parameter of
/// "nodeids" containing the number of Node-IDs required. There MUST be a form parameter of
/// "csr" with a content type of "application/pkcs10"".
///
/// A renewal (our extension of §11.3, which says a returning user's Node-IDs SHOULD be
/// re-issued) sends no password: a "certificate" part (application/pkix-cert) with the
/// certificate to renew, and a CSR signed by that certificate's key, which proves possession.
public struct EnrollmentRequest: Equatable {
    public var username: [UInt8]?
    public var password: [UInt8]?
    /// The "nodeids" text, if sent (a decimal count).
    public var nodeIds: [UInt8]?
    public var csr: [UInt8]?
    public var csrContentType: String?
    /// The DER certificate a renewal renews.
    public var certificate: [UInt8]?

    public init(username: [UInt8]? = nil, password: [UInt8]? = nil, nodeIds: [UInt8]? = nil, csr: [UInt8]? = nil,
                csrContentType: String? = "application/pkcs10", certificate: [UInt8]? = nil) {
        self.username = username
        self.password = password
        self.nodeIds = nodeIds
        self.csr = csr
        self.csrContentType = csrContentType
        self.certificate = certificate
    }

    static let fieldNames = ["username", "password", "nodeids", "csr", "certificate"]

    /// The fields of a parsed form. Each may appear once; other field names are refused.
    public init(parts: [FormPart]) throws(EnrollmentError) {
        self.init(csrContentType: nil)
        var seen: [String] = []
        for part in parts {
            guard EnrollmentRequest.fieldNames.contains(part.name) else {
                throw .malformedForm("unexpected form field \(part.name)")
            }
            guard !seen.contains(part.name) else { throw .malformedForm("form field \(part.name) sent twice") }
            seen.append(part.name)
            switch part.name {
            case "username": username = part.content
            case "password": password = part.content
            case "nodeids": nodeIds = part.content
            case "certificate": certificate = part.content
            default:
                csr = part.content
                csrContentType = part.contentType
            }
        }
    }

    /// The form of an HTTP request whose Content-Type is multipart/form-data.
    public init(http request: HTTPRequest) throws(EnrollmentError) {
        guard let contentType = request.value(of: "Content-Type") else { throw .malformedForm("no Content-Type") }
        let parts: [FormPart]
        do throws(HTTPError) {
            let boundary = try MultipartFormData.boundary(contentType: contentType)
            parts = try MultipartFormData.parse(body: request.body, boundary: boundary)
        } catch {
            // The form's problem, as the enrollment refusal reports it (RFC 6940 §11.3).
            switch error {
            case .malformedForm(let what): throw .malformedForm(what)
            }
        }
        try self.init(parts: parts)
    }
}
