import Config

// libFuzzer target for the configuration parsers: board files (key = value) and the overlay
// configuration document (RFC 6940 §11.1 XML). None may trap; an overlay document that parses
// must survive a write-then-parse round trip unchanged.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = BoardConfig.parse(bytes, fileName: "fuzz.conf")
    _ = try? XMLDocument.parse(bytes)
    if let document = try? OverlayDocument.parse(bytes) {
        let configurations = document.configurations.map { $0.configuration }
        let written = OverlayConfigurationWriter.document(configurations)
        guard let again = try? OverlayDocument.parse(written),
            again.configurations.map({ $0.configuration }) == configurations
        else { fatalError("overlay configuration: write then parse changed it") }
    }
    return 0
}
