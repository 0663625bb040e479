// reload-bench: encode and decode throughput of a typical RELOAD StoreReq (RFC 6940 §7.4.1):
// one SIP-REGISTRATION-sized value of 100 bytes with its §7.1 signature, the message signed
// (§6.3.4) with alice's certificate in the security block. Host only (uses Foundation to read
// the test certificate). Run: swift run -c release reload-bench
import Crypto
import Foundation
import Reload
import Signing
import Wire

let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../ReloadTests/Vectors").standardizedFileURL

func load(_ name: String) -> [UInt8] {
    guard let data = try? Data(contentsOf: vectors.appendingPathComponent(name)) else {
        fatalError("reload-bench: cannot read \(name) in \(vectors.path)")
    }
    return Array(data)
}

func typicalStoreRequest() throws -> Message {
    let certificate = load("alice-p256.cert.der")
    let key = try PrivateKey(encoded: load("alice-p256.key.pem"))
    let random = try RandomGenerator(source: .fixed([UInt8](repeating: 1, count: 96)))
    let identity = SignerIdentity.certHash(certificateDER: certificate)
    let resource = ResourceId(bytes: SHA256.hash(Array("alice@example.org".utf8)).prefix(16))!
    let value = try StoredData.signed(
        resource: resource, kind: .turnService, storageTime: 1_790_000_000_000, lifetime: 86_400,
        value: .single(DataValue(value: [UInt8](repeating: 0x5A, count: 100))), identity: identity, key: key,
        random: random)
    let body = StoreReq(resource: resource, kindData: [StoreKindData(kind: .turnService, generationCounter: 0, values: [value])])
    let header = ForwardingHeader(
        overlay: ForwardingHeader.overlayHash(name: "example.org"), transactionId: 0x1234_5678_9ABC_DEF0,
        viaList: [.node(NodeId(bytes: [UInt8](repeating: 0x33, count: 16))!)],
        destinationList: [.resource(resource)])
    var message = Message(
        header: header, contents: MessageContents(body: .storeRequest(body)),
        securityBlock: SecurityBlock(certificates: [], signature: .synthesized))
    try message.sign(key: key, identity: identity, certificates: [GenericCertificate(certificate: certificate)], random: random)
    return message
}

/// Median seconds per operation over `runs` runs of `iterations` operations.
func measure(runs: Int = 7, iterations: Int, _ operation: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let start = clock.now
        for _ in 0..<iterations { try operation() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        times.append(seconds / Double(iterations))
    }
    return times.sorted()[runs / 2]
}

func report(_ name: String, _ seconds: Double, bytes: Int) {
    let perSecond = 1 / seconds
    let megabytes = perSecond * Double(bytes) / 1e6
    let padded = name.padding(toLength: 26, withPad: " ", startingAt: 0)
    print(padded + String(format: "%10.0f messages/s %8.1f MB/s %10.2f µs/message", perSecond, megabytes, seconds * 1e6))
}

let configuration = CodecConfiguration()
let message = try typicalStoreRequest()
let bytes = try message.encode()
guard try Message.decode(bytes, configuration) == message else { fatalError("round trip failed") }
print("StoreReq: \(bytes.count) bytes (one 100-byte value, value and message signed with ECDSA P-256, one certificate)")
print("median of 7 runs:")
var sink = 0
report("encode", try measure(iterations: 20_000) { sink &+= try message.encode().count }, bytes: bytes.count)
report("decode", try measure(iterations: 20_000) {
    sink &+= try Message.decode(bytes, configuration).contents.extensions.count + 1
}, bytes: bytes.count)
let framed = try FramedMessage.data(sequence: 1, message: bytes).encoded()
report("decode framed", try measure(iterations: 20_000) {
    if case .data(_, let inner) = try FramedMessage.decode(bytes: framed, configuration) {
        sink &+= try Message.decode(inner, configuration).contents.extensions.count + 1
    }
}, bytes: framed.count)
let publicKey = try Certificate(der: load("alice-p256.cert.der")).publicKey()
report("decode + verify message", try measure(runs: 3, iterations: 300) {
    try Message.decode(bytes, configuration).verifySignature(publicKey: publicKey)
}, bytes: bytes.count)
print("(checksum \(sink))")
