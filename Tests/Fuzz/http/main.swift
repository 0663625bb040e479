import HTTP

// libFuzzer target for the enrollment server's HTTP/1.1 request parser and multipart/form-data
// parser. Neither may trap, and the parser must give the same request whether the bytes
// arrive at once or in two pieces (it is fed from a TCP stream).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = HTTPRequestParser.parse(bytes)
    var pieces = HTTPRequestParser()
    var split = pieces.feed(Array(bytes[0..<(size / 2)]))
    if case .needMore = split { split = pieces.feed(Array(bytes[(size / 2)...])) }
    if case .request = whole, split != whole { fatalError("HTTP request differs when fed in two pieces") }
    if case .request(let request, _) = whole, let type = request.value(of: "content-type"),
        let boundary = try? MultipartFormData.boundary(contentType: type) {
        _ = try? MultipartFormData.parse(body: request.body, boundary: boundary)
    }
    _ = try? MultipartFormData.parse(body: bytes, boundary: Array("xyz".utf8))
    return 0
}
