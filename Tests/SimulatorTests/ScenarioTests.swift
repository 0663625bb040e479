import Testing
@testable import Simulator

@Suite struct ScenarioTests {
    static func parse(_ text: String, fileName: String = "test.scenario") throws(ScenarioError) -> Scenario {
        return try Scenario.parse(Array(text.utf8), fileName: fileName)
    }

    /// The error of parsing `text`, or nil if it parsed.
    static func error(_ text: String) -> ScenarioError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    static let example = """
        # every key, none at its default
        name = churn-drop-10k
        mode = routing-only
        peers = 10000
        duration = 1.5h
        seed = 18446744073709551615
        crypto = real
        join-phase = 90 s
        quiet = 0s
        churn-session = pareto 30 min 1.5
        churn-crash-fraction = 0.25
        churn-downtime = 2min
        delay = 10ms..250ms
        loss = 0.01
        duplication = 0.005
        stores = 5/s
        fetches = 300/min
        sip-registrations = 1/min
        sip-lookups = 0.5/s
        attackers = drop 0.1
        flood-rate = 200/s
        revocations = 20min 5, 40min 10
        cost-sign = 0.3ms
        cost-verify = 850.5us
        cost-chain = 1 ms
        replication = 5
        routing-slots-per-user = 128
        misbehaviour-threshold = 0

        """

    @Test func anEmptyFileIsTheDefaults() throws {
        #expect(try Self.parse("") == Scenario())
        #expect(try Self.parse("# nothing but a comment\n\n   \n") == Scenario())
        let defaults = Scenario()
        #expect(defaults.peers == 100 && defaults.mode == .full && defaults.crypto == .simulated)
        #expect(defaults.durationMilliseconds == 600_000 && defaults.session == .none && defaults.attackerKind == nil)
    }

    @Test func everyKeyIsRead() throws {
        let scenario = try Self.parse(Self.example)
        #expect(scenario.name == "churn-drop-10k")
        #expect(scenario.mode == .routingOnly)
        #expect(scenario.peers == 10_000)
        #expect(scenario.durationMilliseconds == 5_400_000)
        #expect(scenario.seed == UInt64.max)
        #expect(scenario.crypto == .real)
        #expect(scenario.joinMilliseconds == 90_000)
        #expect(scenario.quietMilliseconds == 0)
        #expect(scenario.session == .pareto(medianMilliseconds: 1_800_000, shape: 1.5))
        #expect(scenario.crashFraction == 0.25)
        #expect(scenario.downtimeMedianMilliseconds == 120_000)
        #expect(scenario.delayMinimumMilliseconds == 10 && scenario.delayMaximumMilliseconds == 250)
        #expect(scenario.loss == 0.01 && scenario.duplication == 0.005)
        #expect(scenario.storesPerSecond == 5 && scenario.fetchesPerSecond == 5)
        #expect(scenario.sipRegistrationsPerSecond == 1.0 / 60 && scenario.sipLookupsPerSecond == 0.5)
        #expect(scenario.attackerKind == .drop && scenario.attackerFraction == 0.1)
        #expect(scenario.floodRequestsPerSecond == 200)
        #expect(scenario.revocations == [.init(atMilliseconds: 1_200_000, peers: 5), .init(atMilliseconds: 2_400_000, peers: 10)])
        #expect(scenario.signMicroseconds == 300 && scenario.verifyMicroseconds == 850.5 && scenario.chainMicroseconds == 1_000)
        #expect(scenario.replicationFactor == 5)
        #expect(scenario.routingSlotsPerUser == 128)
        #expect(scenario.misbehaviourThreshold == 0)
        // The example sets every key: each differs from its default.
        for key in Scenario.keys {
            #expect(scenario.value(of: key) != Scenario().value(of: key), "\(key)")
        }
    }

    @Test func theOtherValueForms() throws {
        var scenario = try Self.parse("churn-session = exponential 45s\ndelay = 20ms\nattackers = not-found 0.5\nrevocations = none\n")
        #expect(scenario.session == .exponential(medianMilliseconds: 45_000))
        #expect(scenario.delayMinimumMilliseconds == 20 && scenario.delayMaximumMilliseconds == 20)
        #expect(scenario.attackerKind == .notFound && scenario.attackerFraction == 0.5)
        try scenario.set(key: "attackers", value: "none")
        #expect(scenario.attackerKind == nil && scenario.attackerFraction == 0)
        try scenario.set(key: "join-phase", value: "250 ms")
        #expect(scenario.joinMilliseconds == 250)
        try scenario.set(key: "duration", value: "0.5h")
        #expect(scenario.durationMilliseconds == 1_800_000)
        try scenario.set(key: "cost-sign", value: "0.000001ms")
        #expect(scenario.signMicroseconds == 0.001)
        for kind in Scenario.AttackerKind.allCases {
            try scenario.set(key: "attackers", value: "\(kind.rawValue) 0.2")
            #expect(scenario.attackerKind == kind)
        }
    }

    /// (file, line, key, a part of the message)
    static let refusals: [(String, Int, String, String)] = [
        ("peers = 10\n# fine so far\nfingers = 12\n", 3, "fingers", "unknown key"),
        ("duration = 10 days\n", 1, "duration", "units ms, s, min, h"),
        ("duration = 10m\n", 1, "duration", "units ms, s, min, h"),
        ("duration = 10  s\n", 1, "duration", "expected a duration"),
        ("duration = 1.5ms\n", 1, "duration", "whole number of milliseconds"),
        ("duration = 25h\n", 1, "duration", "outside 1s...24h"),
        ("\nchurn-crash-fraction = 1.5\n", 2, "churn-crash-fraction", "above 1"),
        ("loss = 10%\n", 1, "loss", "expected a fraction"),
        ("loss = 1e-3\n", 1, "loss", "expected a fraction"),
        ("loss = 0.6\n", 1, "loss", "above 0.5"),
        ("loss = 0.0000001\n", 1, "loss", "at most 6 digits"),
        ("name = x\nattackers = byzantine 0.1\n", 2, "attackers", "unknown attacker kind 'byzantine'"),
        ("attackers = drop\n", 1, "attackers", "KIND FRACTION"),
        ("revocations = 40min 5, 20min 10\n", 1, "revocations", "times must increase"),
        ("revocations = 20min 5,\n", 1, "revocations", "TIME PEERS"),
        ("peers = 10\nrevocations = 5min 11\n", 2, "revocations", "outside 1...10"),
        ("duration = 10min\njoin-phase = 1min\nrevocations = 12min 1\n", 3, "revocations", "after the end"),
        ("peers = 50000\nmode = full\n", 1, "peers", "full mode runs at most 20000"),
        ("peers = 50000\n", 1, "peers", "full mode"),
        ("peers = 300000\n", 1, "peers", "outside 2...200000"),
        ("peers = -5\n", 1, "peers", "decimal integer"),
        ("seed = 18446744073709551616\n", 1, "seed", "64 bits"),
        ("seed = 1\nquiet = 1s\nseed = 2\n", 3, "seed", "already set on line 1"),
        ("churn-session = gauss 30s\n", 1, "churn-session", "unknown distribution 'gauss' (expected none, exponential or pareto)"),
        ("churn-session = pareto 30s 0.9\n", 1, "churn-session", "outside 1.01...10"),
        ("churn-session = pareto 30s\n", 1, "churn-session", "pareto MEDIAN SHAPE"),
        ("delay = 50ms..5ms\n", 1, "delay", "above the maximum"),
        ("delay = 5ms..11s\n", 1, "delay", "outside"),
        ("stores = 5\n", 1, "stores", "rate such as"),
        ("stores = 5/h\n", 1, "stores", "rate such as"),
        ("stores = 200000/s\n", 1, "stores", "above 100000/s"),
        ("cost-sign = 2s\n", 1, "cost-sign", "units us, ms"),
        ("name = Big Run\n", 1, "name", "lower-case letters"),
        ("mode = partial\n", 1, "mode", "expected full or routing-only"),
        ("crypto = fake\n", 1, "crypto", "expected real or simulated"),
        ("replication = 9\n", 1, "replication", "outside 1...8"),
        ("loss =\n", 1, "loss", "empty value"),
    ]

    @Test(arguments: refusals) func eachErrorNamesItsLineAndKey(refusal: (String, Int, String, String)) {
        let (text, line, key, message) = refusal
        guard let error = Self.error(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.file == "test.scenario")
        #expect(error.line == line, "\(error)")
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func theDescriptionIsFileLineKeyMessage() {
        let error = Self.error("# a comment\n\n\n\n\n\nchurn-session = gauss 30s\n")
        #expect(error?.description == "test.scenario:7: churn-session: unknown distribution 'gauss' (expected none, exponential or pareto)")
        #expect(ScenarioError(file: "command line", line: 0, key: "peers", message: "m").description == "command line: peers: m")
        #expect(Self.error("just words\n")?.description == "test.scenario:1: expected 'key = value'")
    }

    @Test func theTextReadsBackToTheSameScenario() throws {
        let defaults = Scenario()
        #expect(try Self.parse(defaults.text) == defaults)
        let example = try Self.parse(Self.example)
        #expect(try Self.parse(example.text) == example)
        // Every key once, in `keys` order.
        let keys = example.text.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(keys == Scenario.keys)
        #expect(defaults.text.hasPrefix("name = scenario\nmode = full\npeers = 100\nduration = 10min\n"))
        #expect(defaults.text.contains("\ndelay = 5ms..40ms\n"))
        #expect(example.text.contains("\nsip-registrations = 1/min\n"))
        #expect(example.text.contains("\nrevocations = 20min 5, 40min 10\n"))
        #expect(example.text.contains("\nchurn-session = pareto 30min 1.5\n"))
        #expect(example.text.contains("\ncost-verify = 850.5us\n"))
    }

    @Test func awkwardValuesReadBackToo() throws {
        var scenario = Scenario()
        for (key, value) in [
            ("stores", "7/min"), ("fetches", "0.001/min"), ("sip-lookups", "99999.999999/s"), ("flood-rate", "0.1/min"),
            ("cost-sign", "0.001ms"), ("cost-chain", "999999.999999us"), ("churn-session", "exponential 1.001s"),
            ("loss", "0.333333"), ("delay", "0s..10s"), ("join-phase", "0ms"), ("duration", "24h"),
        ] {
            try scenario.set(key: key, value: value)
        }
        #expect(try Self.parse(scenario.text) == scenario)
    }

    @Test func setOverridesOneKey() throws {
        var scenario = try Self.parse("peers = 20\nseed = 3\n")
        try scenario.set(key: "peers", value: "500")
        try scenario.set(key: "mode", value: "routing-only")
        #expect(scenario.peers == 500 && scenario.mode == .routingOnly && scenario.seed == 3)
        try scenario.validate(file: "x.scenario")

        // A refused override names the command line and changes nothing.
        let before = scenario
        #expect(throws: ScenarioError(file: "command line", line: 0, key: "peers", message: "1 is outside 2...200000")) {
            try scenario.set(key: "peers", value: "1")
        }
        #expect(throws: ScenarioError.self) { try scenario.set(key: "no-such-key", value: "1") }
        #expect(throws: ScenarioError.self) { try scenario.set(key: "name", value: "") }
        #expect(scenario == before)

        // The checks between keys run again after overrides.
        try scenario.set(key: "peers", value: "30000")
        try scenario.set(key: "mode", value: "full")
        #expect(throws: ScenarioError.self) { try scenario.validate(file: "x.scenario") }
        do {
            try scenario.validate(file: "x.scenario")
        } catch {
            #expect(error.file == "x.scenario" && error.line == 0 && error.key == "peers")
        }
    }

    /// xorshift64: the fuzz test's own seeded generator.
    struct XorShift {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Random bytes and random values of real keys: the parser throws ScenarioError or returns,
    /// and what it returns writes and reads back.
    @Test func randomInputNeverCrashes() {
        var random = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        let alphabet = Array("0123456789.. /,-smhinuabcdefnoprtxyz=\n#\t".utf8) + [0xFF, 0xC3, 0x00]
        var parsed = 0
        for round in 0..<2000 {
            var bytes: [UInt8] = []
            if round % 2 == 0 {
                bytes = (0..<random.below(80)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                for _ in 0..<(1 + random.below(3)) {
                    let key = Scenario.keys[random.below(Scenario.keys.count)]
                    let value = (0..<(1 + random.below(16))).map { _ in alphabet[random.below(alphabet.count)] }
                    bytes += Array("\(key) = ".utf8) + value + [0x0A]
                }
            }
            do {
                let scenario = try Scenario.parse(bytes, fileName: "fuzz")
                parsed += 1
                #expect((try? Scenario.parse(Array(scenario.text.utf8), fileName: "again")) == scenario)
            } catch {
                #expect(error.file == "fuzz")
            }
        }
        #expect(parsed > 0)
    }
}
