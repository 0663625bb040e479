import Foundation
import TestSupport

/// The programs the process tests run: this build's p2psip, and Debian's tools in /usr/bin
/// (`cross/deps all` installs them).
enum Tool {
    static var p2psip: URL { BuiltProducts.p2psip }

    static var hasCurlAndOpenSSL: Bool { Subprocess.isInstalled("curl") && Subprocess.isInstalled("openssl") }

    static func p2psip(_ arguments: [String], in directory: URL, seconds: Double = 60) throws -> ProcessOutput {
        return try Subprocess.run(p2psip, arguments, in: directory, seconds: seconds)
    }

    /// /usr/bin/NAME
    static func system(_ name: String, _ arguments: [String], in directory: URL, seconds: Double = 60) throws -> ProcessOutput {
        return try Subprocess.run(URL(fileURLWithPath: "/usr/bin/" + name), arguments, in: directory, seconds: seconds)
    }
}
