/// One part of a multipart/form-data body: the form field's name, the optional filename and
/// content type, and the content bytes.
public struct FormPart: Equatable {
    public let name: String
    public let filename: String?
    public let contentType: String?
    public let content: [UInt8]
}
