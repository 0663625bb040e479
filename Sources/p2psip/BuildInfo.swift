import Crypto
import Storage

/// What this binary is: version, target, and the versions of the C libraries it links.
enum BuildInfo {
    static let version = "0.1.0"

    static var targetTriple: String {
        #if arch(x86_64)
        return "x86_64-linux-gnu"
        #elseif arch(arm64)
        return "aarch64-linux-gnu"
        #elseif arch(arm)
        return "arm-linux-gnueabihf"
        #else
        return "unknown"
        #endif
    }

    static var buildKind: String {
        #if hasFeature(Embedded)
        return "Embedded Swift"
        #else
        return "Swift"
        #endif
    }

    static var lines: [String] {
        return [
            "p2psip \(version)",
            "target: \(targetTriple) (\(buildKind))",
            "mbedTLS: \(MbedTLS.version)",
            "LMDB: \(LMDBEnvironment.version)",
        ]
    }
}
