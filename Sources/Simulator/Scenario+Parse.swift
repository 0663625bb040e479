import Config

/// What a value parser found wrong; `Scenario.set` adds the file, line and key.
struct ScenarioValueError: Error {
    var message: String

    init(_ message: String) { self.message = message }
}

extension Scenario {
    /// Reads a scenario file (format: the comment of `Scenario`): every entry through `set`,
    /// then the checks between keys, reported on the line of the key they name.
    public static func parse(_ text: [UInt8], fileName: String) throws(ScenarioError) -> Scenario {
        let entries: [KeyValueFile.Entry]
        do {
            entries = try KeyValueFile.parse(text, fileName: fileName)
        } catch {
            throw ScenarioError(error)
        }
        var scenario = Scenario()
        var lines: [String: Int] = [:]
        for entry in entries {
            try scenario.set(key: entry.key, value: entry.value, file: fileName, line: entry.line)
            lines[entry.key] = entry.line
        }
        try scenario.validate(file: fileName, lines: lines)
        return scenario
    }

    /// Sets one key from its text, with the checks of that key alone (a command-line
    /// `--set key=value` comes here too). On error the scenario is unchanged.
    public mutating func set(key: String, value: String, file: String = "command line", line: Int = 0) throws(ScenarioError) {
        do {
            try apply(key: key, value: value[...])
        } catch {
            throw ScenarioError(file: file, line: line, key: key, message: error.message)
        }
    }

    /// The checks between keys, for a scenario changed after `parse` (e.g. by overrides).
    public func validate(file: String) throws(ScenarioError) {
        try validate(file: file, lines: [:])
    }

    func validate(file: String, lines: [String: Int]) throws(ScenarioError) {
        func failure(_ key: String, _ message: String) -> ScenarioError {
            return ScenarioError(file: file, line: lines[key] ?? 0, key: key, message: message)
        }
        if mode == .full && peers > Limits.maximumFullModePeers {
            throw failure("peers", "\(peers) peers: full mode runs at most \(Limits.maximumFullModePeers) (routing-only up to \(Limits.maximumPeers))")
        }
        if delayMinimumMilliseconds > delayMaximumMilliseconds {
            throw failure("delay", "the minimum is above the maximum")
        }
        if attackerKind == nil && attackerFraction != 0 {
            throw failure("attackers", "a fraction of attackers without a kind")
        }
        if let message = revocationProblem() { throw failure("revocations", message) }
    }

    /// Why `revocations` does not fit this scenario, if it does not.
    func revocationProblem() -> String? {
        // Saturating: the fields may have been set in code beyond the bounds of the format.
        let (sum, overflow) = joinMilliseconds.addingReportingOverflow(durationMilliseconds)
        let end = overflow ? UInt64.max : sum
        var previous: UInt64? = nil
        for revocation in revocations {
            if let previous, revocation.atMilliseconds <= previous {
                return "times must increase: \(Self.duration(revocation.atMilliseconds)) is not after \(Self.duration(previous))"
            }
            if revocation.atMilliseconds > end {
                return "\(Self.duration(revocation.atMilliseconds)) is after the end of join-phase + duration (\(Self.duration(end)))"
            }
            if revocation.peers < 1 || revocation.peers > peers {
                return "\(revocation.peers) peers to revoke is outside 1...\(peers) (the scenario's peers)"
            }
            previous = revocation.atMilliseconds
        }
        return nil
    }

    /// One key: parse first, assign after, so that an error changes nothing.
    mutating func apply(key: String, value: Substring) throws(ScenarioValueError) {
        let phase = 0...Limits.maximumPhaseMilliseconds
        let period = Limits.minimumDurationMilliseconds...Limits.maximumPhaseMilliseconds
        switch key {
        case "name": name = try Self.parseName(value)
        case "mode": mode = try Self.parseMode(value)
        case "peers": peers = try Self.parseInteger(value, in: Limits.minimumPeers...Limits.maximumPeers)
        case "duration": durationMilliseconds = try Self.parseDuration(value, in: period)
        case "seed": seed = try Self.parseUnsigned(value)
        case "crypto": crypto = try Self.parseCrypto(value)
        case "join-phase": joinMilliseconds = try Self.parseDuration(value, in: phase)
        case "quiet": quietMilliseconds = try Self.parseDuration(value, in: phase)
        case "churn-session": session = try Self.parseSession(value)
        case "churn-crash-fraction": crashFraction = try Self.parseFraction(value, maximum: 1)
        case "churn-downtime": downtimeMedianMilliseconds = try Self.parseDuration(value, in: period)
        case "delay": (delayMinimumMilliseconds, delayMaximumMilliseconds) = try Self.parseDelay(value)
        case "loss": loss = try Self.parseFraction(value, maximum: Limits.maximumNetworkFraction)
        case "duplication": duplication = try Self.parseFraction(value, maximum: Limits.maximumNetworkFraction)
        case "stores": storesPerSecond = try Self.parseRate(value, maximum: Limits.maximumRatePerSecond)
        case "fetches": fetchesPerSecond = try Self.parseRate(value, maximum: Limits.maximumRatePerSecond)
        case "sip-registrations": sipRegistrationsPerSecond = try Self.parseRate(value, maximum: Limits.maximumRatePerSecond)
        case "sip-lookups": sipLookupsPerSecond = try Self.parseRate(value, maximum: Limits.maximumRatePerSecond)
        case "attackers": (attackerKind, attackerFraction) = try Self.parseAttackers(value)
        case "flood-rate": floodRequestsPerSecond = try Self.parseRate(value, maximum: Limits.maximumFloodRatePerSecond)
        case "revocations": revocations = try Self.parseRevocations(value)
        case "cost-sign": signMicroseconds = try Self.parseCost(value)
        case "cost-verify": verifyMicroseconds = try Self.parseCost(value)
        case "cost-chain": chainMicroseconds = try Self.parseCost(value)
        case "replication": replicationFactor = try Self.parseInteger(value, in: 1...Limits.maximumReplication)
        case "routing-slots-per-user": routingSlotsPerUser = try Self.parseInteger(value, in: Limits.routingSlotsPerUser)
        case "misbehaviour-threshold": misbehaviourThreshold = try Self.parseInteger(value, in: Limits.misbehaviourThreshold)
        default: throw ScenarioValueError("unknown key; known keys: " + Self.keys.joined(separator: ", "))
        }
    }
}

// The parsers of the value kinds. Each refuses anything but its exact form, with a message that
// names what was expected.
extension Scenario {
    static func parseName(_ text: Substring) throws(ScenarioValueError) -> String {
        let allowed = text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard allowed, !text.isEmpty, text.utf8.count <= Limits.maximumNameLength else {
            throw ScenarioValueError("expected 1 to \(Limits.maximumNameLength) lower-case letters, digits and '-'")
        }
        return String(text)
    }

    static func parseMode(_ text: Substring) throws(ScenarioValueError) -> Mode {
        guard let mode = Mode(rawValue: String(text)) else {
            throw ScenarioValueError("unknown mode \(quoted(text)) (expected full or routing-only)")
        }
        return mode
    }

    static func parseCrypto(_ text: Substring) throws(ScenarioValueError) -> SimulatedCryptoMode {
        switch text {
        case "real": return .real
        case "simulated": return .simulated
        default: throw ScenarioValueError("unknown crypto \(quoted(text)) (expected real or simulated)")
        }
    }

    /// A decimal integer of at most 20 digits that fits a UInt64.
    static func parseUnsigned(_ text: Substring) throws(ScenarioValueError) -> UInt64 {
        let expected = ScenarioValueError("expected a decimal integer, not \(quoted(text))")
        guard !text.isEmpty, text.utf8.count <= Limits.maximumIntegerCharacters else { throw expected }
        var result: UInt64 = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { throw expected }
            let (times10, overflow) = result.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow && !carry else { throw ScenarioValueError("\(text) does not fit 64 bits") }
            result = sum
        }
        return result
    }

    static func parseInteger(_ text: Substring, in range: ClosedRange<Int>) throws(ScenarioValueError) -> Int {
        let value = try parseUnsigned(text)
        guard value <= UInt64(range.upperBound), Int(value) >= range.lowerBound else {
            throw ScenarioValueError("\(text) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(value)
    }

    static func parseFraction(_ text: Substring, maximum: Double) throws(ScenarioValueError) -> Double {
        let expected = "a fraction from 0 to \(decimal(maximum)) such as '0.25'"
        let value = try DecimalNumber.parse(text, expected: expected).double
        guard value <= maximum else { throw ScenarioValueError("\(text) is above \(decimal(maximum)): expected \(expected)") }
        return value
    }

    static func parseShape(_ text: Substring) throws(ScenarioValueError) -> Double {
        let bounds = "\(decimal(Limits.minimumParetoShape))...\(decimal(Limits.maximumParetoShape))"
        let shape = try DecimalNumber.parse(text, expected: "a Pareto shape \(bounds) such as '1.5'").double
        guard shape >= Limits.minimumParetoShape && shape <= Limits.maximumParetoShape else {
            throw ScenarioValueError("shape \(text) is outside \(bounds)")
        }
        return shape
    }

    /// The text before and after a unit: "1.5h" and "1.5 h" are ("1.5", "h").
    static func splitUnit(_ text: Substring) -> (number: Substring, unit: Substring) {
        let number = text.prefix { $0.asciiValue.map { $0 == 0x2E || (0x30...0x39).contains($0) } ?? false }
        var unit = text[number.endIndex...]
        if unit.first == " " { unit = unit.dropFirst() }
        return (number, unit)
    }

    static func parseMilliseconds(_ text: Substring) throws(ScenarioValueError) -> UInt64 {
        let expected = "a duration such as '30s', '1.5h' or '250 ms' (units ms, s, min, h)"
        let (numberText, unit) = splitUnit(text)
        let unitMilliseconds: UInt64
        switch unit {
        case "ms": unitMilliseconds = 1
        case "s": unitMilliseconds = 1_000
        case "min": unitMilliseconds = 60_000
        case "h": unitMilliseconds = 3_600_000
        default: throw ScenarioValueError("expected \(expected), not \(quoted(text))")
        }
        let number = try DecimalNumber.parse(numberText, expected: expected)
        // Exact: the digits times the unit, then divided by the power of ten of the point.
        let (product, overflow) = number.digits.multipliedReportingOverflow(by: unitMilliseconds)
        guard !overflow else { throw ScenarioValueError("\(text) is too long") }
        let divisor = DecimalNumber.powersOfTen[number.fractionDigits]
        guard product % divisor == 0 else { throw ScenarioValueError("\(text) is not a whole number of milliseconds") }
        return product / divisor
    }

    static func parseDuration(_ text: Substring, in range: ClosedRange<UInt64>) throws(ScenarioValueError) -> UInt64 {
        let milliseconds = try parseMilliseconds(text)
        guard range.contains(milliseconds) else {
            throw ScenarioValueError("\(text) is outside \(duration(range.lowerBound))...\(duration(range.upperBound))")
        }
        return milliseconds
    }

    /// "MIN..MAX" or one duration for both.
    static func parseDelay(_ text: Substring) throws(ScenarioValueError) -> (UInt64, UInt64) {
        let range = 0...Limits.maximumDelayMilliseconds
        var dots = text.startIndex
        while dots < text.endIndex && !text[dots...].hasPrefix("..") { dots = text.index(after: dots) }
        if dots == text.endIndex {
            let both = try parseDuration(text, in: range)
            return (both, both)
        }
        let minimum = try parseDuration(text[..<dots], in: range)
        let maximum = try parseDuration(text[text.index(dots, offsetBy: 2)...], in: range)
        guard minimum <= maximum else { throw ScenarioValueError("the minimum \(duration(minimum)) is above the maximum \(duration(maximum))") }
        return (minimum, maximum)
    }

    /// NUMBER/s or NUMBER/min, as a rate per second.
    static func parseRate(_ text: Substring) throws(ScenarioValueError) -> Double {
        let expected = "a rate such as '5/s' or '300/min'"
        guard let slash = text.firstIndex(of: "/") else { throw ScenarioValueError("expected \(expected), not \(quoted(text))") }
        let number = try DecimalNumber.parse(text[..<slash], expected: expected).double
        switch text[text.index(after: slash)...] {
        case "s": return number
        case "min": return number / 60
        default: throw ScenarioValueError("expected \(expected), not \(quoted(text))")
        }
    }

    static func parseRate(_ text: Substring, maximum: Double) throws(ScenarioValueError) -> Double {
        let rate = try parseRate(text)
        guard rate <= maximum else { throw ScenarioValueError("\(text) is above \(decimal(maximum))/s") }
        return rate
    }

    /// A CPU cost in microseconds: NUMBER then "us" or "ms".
    static func parseCost(_ text: Substring) throws(ScenarioValueError) -> Double {
        let expected = "a cost such as '260us' or '0.5ms' (units us, ms)"
        let (numberText, unit) = splitUnit(text)
        guard unit == "us" || unit == "ms" else { throw ScenarioValueError("expected \(expected), not \(quoted(text))") }
        var number = try DecimalNumber.parse(numberText, expected: expected)
        // Milliseconds to microseconds in decimal, so that the value stays exactly what was written.
        if unit == "ms" {
            if number.fractionDigits >= 3 {
                number.fractionDigits -= 3
            } else {
                number.digits *= DecimalNumber.powersOfTen[3 - number.fractionDigits]
                number.fractionDigits = 0
            }
        }
        let microseconds = number.double
        guard microseconds <= Limits.maximumCostMicroseconds else { throw ScenarioValueError("\(text) is above 1s") }
        return microseconds
    }

    static func parseSession(_ text: Substring) throws(ScenarioValueError) -> SessionTime {
        let space = text.firstIndex(of: " ")
        let kind = text[..<(space ?? text.endIndex)]
        let rest = space.map { text[text.index(after: $0)...] } ?? ""
        let median = Limits.minimumDurationMilliseconds...Limits.maximumPhaseMilliseconds
        switch kind {
        case "none":
            guard space == nil else { throw ScenarioValueError("'none' takes nothing after it") }
            return .none
        case "exponential":
            return .exponential(medianMilliseconds: try parseDuration(rest, in: median))
        case "pareto":
            guard let last = rest.lastIndex(of: " ") else {
                throw ScenarioValueError("expected 'pareto MEDIAN SHAPE' such as 'pareto 30min 1.5'")
            }
            let medianMilliseconds = try parseDuration(rest[..<last], in: median)
            return .pareto(medianMilliseconds: medianMilliseconds, shape: try parseShape(rest[rest.index(after: last)...]))
        default:
            throw ScenarioValueError("unknown distribution \(quoted(kind)) (expected none, exponential or pareto)")
        }
    }

    static func parseAttackers(_ text: Substring) throws(ScenarioValueError) -> (AttackerKind?, Double) {
        if text == "none" { return (nil, 0) }
        let kinds = AttackerKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let space = text.firstIndex(of: " ") else {
            throw ScenarioValueError("expected 'none' or 'KIND FRACTION' such as 'drop 0.1' (kinds \(kinds))")
        }
        guard let kind = AttackerKind(rawValue: String(text[..<space])) else {
            throw ScenarioValueError("unknown attacker kind \(quoted(text[..<space])) (kinds \(kinds); or none, alone)")
        }
        return (kind, try parseFraction(text[text.index(after: space)...], maximum: Limits.maximumAttackerFraction))
    }

    /// "none" or "TIME PEERS, TIME PEERS, ..." in increasing time.
    static func parseRevocations(_ text: Substring) throws(ScenarioValueError) -> [Revocation] {
        if text == "none" { return [] }
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard items.count <= Limits.maximumRevocations else {
            throw ScenarioValueError("\(items.count) revocations (at most \(Limits.maximumRevocations))")
        }
        var revocations: [Revocation] = []
        for var item in items {
            if item.first == " " && !revocations.isEmpty { item = item.dropFirst() }
            guard let space = item.lastIndex(of: " ") else {
                throw ScenarioValueError("expected 'none' or 'TIME PEERS, ...' such as '20min 5, 40min 10', not \(quoted(item))")
            }
            let time = try parseDuration(item[..<space], in: 0...(2 * Limits.maximumPhaseMilliseconds))
            let peers = try parseInteger(item[item.index(after: space)...], in: 1...Limits.maximumPeers)
            if let previous = revocations.last, time <= previous.atMilliseconds {
                throw ScenarioValueError("times must increase: \(duration(time)) is not after \(duration(previous.atMilliseconds))")
            }
            revocations.append(Revocation(atMilliseconds: time, peers: peers))
        }
        return revocations
    }

    /// `text` in quotes for a message, shortened: a value can be a whole line long.
    static func quoted(_ text: Substring) -> String {
        let shown = 32
        return text.count <= shown ? "'\(text)'" : "'\(text.prefix(shown))...'"
    }
}

/// A NUMBER of the format: digits with at most one '.' inside, kept exactly as an integer and
/// the count of digits after the point, so that durations and unit changes stay exact.
struct DecimalNumber {
    var digits: UInt64
    var fractionDigits: Int

    static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// Correctly rounded: both operands are exact Doubles (digits < 10^15 < 2^53).
    var double: Double { Double(digits) / Double(Self.powersOfTen[fractionDigits]) }

    static func parse(_ text: Substring, expected: String) throws(ScenarioValueError) -> DecimalNumber {
        let refusal = ScenarioValueError("expected \(expected), not \(Scenario.quoted(text))")
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= Scenario.Limits.maximumNumberCharacters,
            bytes.first != 0x2E, bytes.last != 0x2E
        else { throw refusal }
        var digits: UInt64 = 0
        var fractionDigits: Int? = nil
        for byte in bytes {
            if byte == 0x2E {
                guard fractionDigits == nil else { throw refusal }
                fractionDigits = 0
            } else {
                guard byte >= 0x30 && byte <= 0x39 else { throw refusal }
                // At most 15 digits: no overflow.
                digits = digits * 10 + UInt64(byte - 0x30)
                fractionDigits = fractionDigits.map { $0 + 1 }
            }
        }
        guard (fractionDigits ?? 0) <= Scenario.Limits.maximumFractionDigits else {
            throw ScenarioValueError("at most \(Scenario.Limits.maximumFractionDigits) digits after the point in \(Scenario.quoted(text))")
        }
        return DecimalNumber(digits: digits, fractionDigits: fractionDigits ?? 0)
    }
}
