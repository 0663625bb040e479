// swift-tools-version: 6.0
// p2psip: a secure P2PSIP (RELOAD, RFC 6940) peer for small Linux devices.
//
// Everything under Sources/ is built two ways: here, as ordinary Swift for `swift test`, and by
// cross/build in Embedded Swift mode as static board binaries. The module order in cross/build
// must follow the dependencies declared here (cross/build checks that every module is listed).
import PackageDescription

// P2PSIP_TEST_MODES, in debug builds only (never in release or board builds, which cross/build
// compiles without it): misbehaviour a peer can be told to show, for the process tests of the
// insider defences (Node's TestMisbehaviour).
let testModes: [SwiftSetting] = [.define("P2PSIP_TEST_MODES", .when(configuration: .debug))]

let package = Package(
    name: "p2psip",
    products: [
        .executable(name: "p2psip", targets: ["p2psip"]),
    ],
    targets: [
        // C libraries from Debian, entering as system library modules (modulemap + shim header).
        .systemLibrary(name: "CMbedTLS", path: "Sources/CMbedTLS"),
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB"),
        .systemLibrary(name: "CPosix", path: "Sources/CPosix"),

        .target(name: "Wire"),
        .target(name: "Chord"),
        .target(name: "Crypto", dependencies: ["CMbedTLS", "Wire"]),
        .target(name: "Reload", dependencies: ["Wire"]),
        // RFC 6940 §6.3.4/§7.1 signatures of messages and stored values, and the identity
        // hashes, over Crypto (Reload itself only builds the signed bytes).
        .target(name: "Signing", dependencies: ["Wire", "Crypto", "Reload"]),
        .target(name: "Config", dependencies: ["Wire"]),
        // RFC 3261 messages, Digest authentication and the RFC 7904 helpers of the SIP front.
        .target(name: "SIP", dependencies: ["Wire", "Crypto", "Reload"]),
        // The SIP registrar and proxy of a peer for unmodified phones (RFC 7904 over RFC 3261).
        .target(name: "SIPFront", dependencies: ["SIP", "Wire", "Crypto", "Reload"]),
        // The minimal HTTP/1.1 codec (RFC 9112 requests and responses, RFC 7578 multipart/form-data)
        // of enrollment (RFC 6940 §11.3), below both Enrollment and HTTPS.
        .target(name: "HTTP", dependencies: ["Wire"]),
        .target(name: "Storage", dependencies: ["CLMDB", "Wire", "Chord", "Crypto", "Reload", "Signing"]),
        // CA policy, Node-ID assignment and the client side of enrollment (RFC 6940 §11.3), and
        // the overlay configuration's kinds as Storage's (it knows both Config and Storage).
        .target(name: "Enrollment", dependencies: ["Wire", "Crypto", "Config", "Reload", "Signing", "HTTP", "Storage"]),
        .target(name: "Node", dependencies: ["Wire", "Chord", "Crypto", "Reload", "Signing", "Storage"], swiftSettings: testModes),
        // RFC 7904 in a peer: the SIP front's registrations stored and looked up through the
        // Node, and the SIP connections between peers (AppAttach).
        .target(name: "SIPUsage", dependencies: ["SIPFront", "SIP", "Node", "Link", "Storage", "Reload", "Crypto", "Wire"]),
        // The whole peer as a sans-I/O core: links, node, SIP usage, control requests.
        .target(name: "Peer", dependencies: ["SIPUsage", "SIPFront", "Node", "Link", "Storage", "Chord", "Reload", "Crypto", "Wire"]),
        // Host-only: the deterministic simulator of overlay nodes and whole peers (not in the board binaries).
        .target(name: "Simulator", dependencies: ["Peer", "SIPUsage", "SIPFront", "SIP", "Link", "Node", "Chord", "Crypto", "Reload", "Signing", "Config", "Wire", "Storage"]),
        .target(name: "Platform", dependencies: ["CPosix", "Wire"]),
        .target(name: "Link", dependencies: ["CMbedTLS", "Wire", "Crypto", "Reload"]),
        // The HTTPS server and client of enrollment (RFC 6940 §11.3): Platform's sockets and
        // event loop, Link's TLS stream sessions, HTTP's parsing.
        .target(name: "HTTPS", dependencies: ["Wire", "HTTP", "Platform", "Link"]),
        .executableTarget(
            name: "p2psip",
            dependencies: [
                "Wire", "Crypto", "Reload", "Signing", "Config", "HTTP", "Enrollment", "Storage", "Node", "Platform", "Link", "HTTPS", "SIP",
                "SIPFront", "SIPUsage", "Peer",
            ],
            swiftSettings: testModes
        ),

        // Host-only: p2psip-sim, the command that runs scenario files on the Simulator (never in a board binary).
        .executableTarget(name: "p2psip-sim", dependencies: ["Simulator", "Node", "Crypto", "Wire"], path: "Tools/p2psip-sim"),

        // Host-only helpers of the tests and benchmarks (Foundation): the seeded generator, child
        // processes, temporary directories, the built programs, detached overlays of real peers,
        // DTLS/TLS session pairs in memory with an openssl-made PKI and RELOAD test messages (hence Link, Reload).
        .target(name: "TestSupport", dependencies: ["Simulator", "Link", "Reload", "Crypto", "Wire"], path: "Tests/TestSupport"),

        // Host-only benchmarks (use Foundation): swift run -c release reload-bench / link-bench / overlay-bench / storage-bench
        // / sip-bench / dos-bench. BenchSupport: their options, percentiles, /proc readers and control sockets. overlay-, storage-,
        // sip- and dos-bench run the p2psip binary and import nothing of it: their dependency on it (and overlay-bench's on link-bench)
        // only makes `swift run X` build it first; SwiftPM links none of its code into them.
        // BenchSupport also holds the attackers and the honest workload of dos-bench, which its process test reuses.
        .target(name: "BenchSupport", dependencies: ["TestSupport", "SIP", "Link", "Crypto", "Wire"], path: "Tests/Benchmarks/BenchSupport"),
        .executableTarget(name: "reload-bench", dependencies: ["Reload", "Signing", "Crypto", "Wire"], path: "Tests/Benchmarks/ReloadBench"),
        .executableTarget(name: "overlay-bench", dependencies: ["BenchSupport", "TestSupport", "p2psip", "link-bench"], path: "Tests/Benchmarks/OverlayBench"),
        .executableTarget(name: "link-bench", dependencies: ["BenchSupport", "TestSupport", "Link", "Reload", "Crypto", "Wire"], path: "Tests/Benchmarks/LinkBench"),
        .executableTarget(
            name: "storage-bench", dependencies: ["BenchSupport", "TestSupport", "p2psip", "Node", "Reload", "Signing", "Crypto", "Storage"], path: "Tests/Benchmarks/StorageBench"),
        // sip-bench: call setup latency and REGISTER throughput through a `p2psip demo` overlay.
        .executableTarget(name: "sip-bench", dependencies: ["BenchSupport", "TestSupport", "p2psip", "SIP"], path: "Tests/Benchmarks/SIPBench"),
        // dos-bench: honest stores, fetches, REGISTERs and calls through a `p2psip demo` overlay, alone and beside each attacker.
        .executableTarget(name: "dos-bench", dependencies: ["BenchSupport", "TestSupport", "p2psip"], path: "Tests/Benchmarks/DoSBench"),

        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "ChordTests", dependencies: ["Chord", "TestSupport"]),
        .testTarget(name: "NodeTests", dependencies: ["Node", "Simulator", "Crypto", "Reload", "Signing", "Wire", "Storage"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto", "Wire", "TestSupport"]),
        .testTarget(name: "ReloadTests", dependencies: ["Reload", "Signing", "Wire", "Crypto", "TestSupport"], exclude: ["Vectors"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Wire", "TestSupport"], exclude: ["Vectors"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "EnrollmentTests", dependencies: ["Enrollment", "HTTP", "Crypto", "Config", "Reload", "Storage", "Wire", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Reload", "Signing", "Crypto", "Chord", "Wire", "TestSupport"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "SIPFront", "Crypto", "Reload", "Wire"], exclude: ["Torture"]),
        .testTarget(name: "SIPFrontTests", dependencies: ["SIPFront", "SIP", "Reload", "Crypto", "Wire"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "Wire", "TestSupport"]),
        .testTarget(name: "LinkTests", dependencies: ["Link", "Reload", "Crypto", "Wire", "TestSupport"]),
        // Whole peer cores: the link authenticator's users, control requests, the SIP bridge,
        // and seeded simulations of several peers (Simulator's PeerSimulation).
        .testTarget(name: "PeerTests", dependencies: ["Peer", "Simulator", "SIPUsage", "SIP", "Node", "Reload", "Crypto", "Wire"]),
        // The simulator itself: scenario files, the routing-only mode, small seeded scenarios with their checkers.
        // (p2psip-sim only so that it is built before the tests that run it.)
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Chord", "Node", "Reload", "Crypto", "Wire", "TestSupport", "p2psip-sim"]),
        .testTarget(name: "ProjectTests", dependencies: ["TestSupport"]),
        // The one test target that depends on the executable: DecodeCommandTests call its code
        // (@testable), CommandLineTests run it. SwiftPM builds an executable before a target that
        // depends on it, so this also guarantees the binary ProcessTests run
        // (BuiltProducts.p2psip) whenever the test bundle is built.
        .testTarget(name: "CommandLineTests", dependencies: ["p2psip", "Config", "Node", "SIPFront", "Reload", "Wire", "TestSupport"]),
        // Real `p2psip ca serve`, `peer` and `testnet` processes on loopback, driven by p2psip, curl, openssl and tshark.
        // The binary comes from CommandLineTests' dependency (these only run it).
        .testTarget(
            name: "ProcessTests",
            dependencies: ["Crypto", "Config", "Enrollment", "HTTP", "Link", "HTTPS", "Platform", "Reload", "Signing", "Wire", "TestSupport", "BenchSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
