import Reload
import Wire

// `p2psip decode [--hex] [--node-id-length N] FILE|-`: prints every field of one RELOAD message
// (bare, or in its RFC 6940 §6.6.2 frame), or the exact reason it does not decode: the field
// (the RFC's name) and the byte offset. Pure: the caller reads FILE (or standard input) and
// prints the lines; exit status 0 when the message decodes, 1 when it does not, 2 on a usage
// error.

/// The options of `p2psip decode`.
struct DecodeArguments: Equatable {
    var isHex = false
    var nodeIdLength = ReloadConstants.defaultNodeIdLength
    /// A file name, or "-" for standard input.
    var path = "-"
}

let decodeUsage = "usage: p2psip decode [--hex] [--node-id-length N] FILE|-"

/// Parses the arguments after "decode"; nil (with the usage text) when they are wrong.
func parseDecodeArguments(_ arguments: [String]) -> DecodeArguments? {
    var parsed = DecodeArguments()
    var sawPath = false
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if argument == "--hex" {
            parsed.isHex = true
        } else if argument == "--node-id-length" {
            index += 1
            guard index < arguments.count, let length = Int(arguments[index]),
                ReloadConstants.nodeIdLengthRange.contains(length)
            else { return nil }
            parsed.nodeIdLength = length
        } else if !sawPath && (argument == "-" || !argument.hasPrefix("-")) {
            parsed.path = argument
            sawPath = true
        } else {
            return nil
        }
        index += 1
    }
    return sawPath ? parsed : nil
}

/// Decodes `input` (raw bytes, or hex text when `isHex`) and returns the lines to print and
/// the exit status. The largest message accepted is the framing limit (2^24-1 bytes), not an
/// overlay's max-message-size, so that any message can be inspected.
func decodeCommand(input: [UInt8], isHex: Bool, nodeIdLength: Int) -> (output: [String], status: Int32) {
    guard ReloadConstants.nodeIdLengthRange.contains(nodeIdLength) else {
        return (["error: --node-id-length must be 16 to 20", decodeUsage], 2)
    }
    var bytes = input
    if isHex {
        guard let decoded = Hex.decode(input) else {
            return (["error: the input is not hexadecimal (an odd number of digits or another character)"], 1)
        }
        bytes = decoded
    }
    let configuration = CodecConfiguration(
        nodeIdLength: nodeIdLength, maxMessageSize: ReloadLimits.maxMessageSizeCeiling)
    do throws(ReloadError) {
        return (try MessageDescription.describe(bytes, configuration), 0)
    } catch {
        return (["error: " + error.description], 1)
    }
}
