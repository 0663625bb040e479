import Reload
import Wire

// libFuzzer target for the RELOAD decoder (RFC 6940). For every input: whatever decodes must
// encode back to exactly the same bytes (the codec's inverse property), the printer and the
// reassembly must not trap, and a decodable message that is fragmented must reassemble to
// itself. Any violation is a crash the fuzzer reports.

let configuration = CodecConfiguration()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkMessage(bytes)
    checkFrame(bytes)
    checkStructures(bytes)
    _ = try? MessageDescription.describe(bytes, configuration)
    var reassembly = Reassembly(configuration: configuration)
    _ = reassembly.add(bytes, now: .zero)
    return 0
}

func checkMessage(_ bytes: [UInt8]) {
    guard let message = try? Message.decode(bytes, configuration) else { return }
    guard let again = try? message.encode(), again == bytes else { fatalError("Message: decode then encode changed the bytes") }
    _ = try? message.signatureInput(identity: message.securityBlock.signature.identity)
    guard let fragments = try? Fragmentation.fragment(bytes, maximumBytes: 600, configuration) else {
        fatalError("a decodable message could not be fragmented")
    }
    var reassembly = Reassembly(configuration: configuration)
    var outcome = Reassembly.Outcome.pending
    for fragment in fragments.reversed() { outcome = reassembly.add(fragment, now: Instant.zero.adding(milliseconds: 1)) }
    guard outcome == .complete(bytes) else { fatalError("fragments did not reassemble to the message") }
}

func checkFrame(_ bytes: [UInt8]) {
    guard let frame = try? FramedMessage.decode(bytes: bytes, configuration) else { return }
    guard let again = try? frame.encoded(), again == bytes else { fatalError("FramedMessage: not an inverse") }
    if case .data(_, let message) = frame { checkMessage(message) }
}

/// Standalone structures that are decoded outside messages (stored records, DataValue contents).
func checkStructures(_ bytes: [UInt8]) {
    for model in [DataModel.singleValue, .array, .dictionary] {
        if let value = try? StoredData.decode(model: model, bytes: bytes, configuration) {
            guard let again = try? value.encoded(), again == bytes else { fatalError("StoredData: not an inverse") }
        }
    }
    if let registration = try? SipRegistration.decode(bytes: bytes, configuration) {
        guard let again = try? registration.encoded(), again == bytes else { fatalError("SipRegistration: not an inverse") }
    }
}
