import SIP
import Wire

// libFuzzer target for the SIP parser and serializer, Digest credentials and the RFC 7904
// Address of Record. Nothing may trap; whatever parses must be written out and parse back to
// the same message (and write out the same bytes again); a stream fed in two pieces must give
// the message it gives at once; a response built from a parsed request must parse. The seed
// corpus holds messages written out from RFC 4475's torture tests and RFC 3261.

let secret = [UInt8](repeating: 0x5A, count: 32)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let message = try? SIPMessage.parse(datagram: bytes) {
        checkRoundTrip(message)
        checkUses(message)
    }
    // A message complete in the first half is the message of the whole stream.
    if let prefix = try? SIPMessage.parse(stream: Array(bytes[0..<(size / 2)])) {
        guard let whole = try? SIPMessage.parse(stream: bytes), whole.message == prefix.message, whole.consumed == prefix.consumed
        else { fatalError("stream parse differs on a prefix") }
    }
    return 0
}

func checkRoundTrip(_ message: SIPMessage) {
    let written = message.serialize()
    guard let again = try? SIPMessage.parse(datagram: written) else { fatalError("our own output does not parse") }
    if again != message { fatalError("parse(serialize(message)) differs") }
    if again.serialize() != written { fatalError("serialize is not stable") }
}

func checkUses(_ message: SIPMessage) {
    _ = try? AddressOfRecord(uri: message.to.uri).resourceId()
    if message.isRequest {
        var request = message
        request.markReceived(host: Array("192.0.2.1".utf8), port: 5060)
        checkRoundTrip(request)
        let response = SIPMessage.response(to: request, statusCode: 401, reason: Array("Unauthorized".utf8), toTag: Array("fuzz".utf8))
        checkRoundTrip(response)
    }
    guard let method = message.method, let uri = message.requestURI else { return }
    var authenticator = DigestAuthenticator(secret: secret, realm: Array("overlay.example".utf8))
    for header in message.authorizations {
        guard let credentials = try? DigestCredentials(header) else { continue }
        _ = authenticator.verify(credentials, method: method, requestURI: uri, secret: .password(Array("pw".utf8)), now: WallTime(secondsSince1970: 1000))
    }
}
