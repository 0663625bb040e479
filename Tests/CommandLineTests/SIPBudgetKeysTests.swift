import Config
import SIPFront
import Testing

@testable import p2psip

/// The board's sip-* budget keys reach the SIP front, with SIPFrontLimits's defaults and ranges
/// (the schema cannot import SIPFront, so this test holds the two together).
@Suite struct SIPBudgetKeysTests {
    @Test func schemaDefaultsAndRangesAreTheFrontsOwn() throws {
        #expect(PeerSIPSetup.budgets(BoardConfig.defaults) == SIPFrontBudgets())
        let ranges: [(String, ClosedRange<Int>)] = [
            ("sip-register-rate", SIPFrontLimits.ratePerMinuteRange), ("sip-request-rate", SIPFrontLimits.ratePerMinuteRange),
            ("sip-register-burst", SIPFrontLimits.burstRange), ("sip-request-burst", SIPFrontLimits.burstRange),
            ("sip-sources", SIPFrontLimits.sourceTableCapacityRange),
        ]
        for (name, range) in ranges {
            #expect(BoardConfigSchema.key(named: name)?.type == .integer(range), "\(name)")
        }
    }

    @Test func boardValuesReachTheBudgets() throws {
        let board = try BoardConfig.parse(Array("sip-register-rate = 6\nsip-register-burst = 2\nsip-request-rate = 7\nsip-request-burst = 3\nsip-sources = 16\n".utf8), fileName: "test.conf").get()
        let budgets = PeerSIPSetup.budgets(board)
        #expect(budgets.registerRatePerMinute == 6 && budgets.registerBurst == 2)
        #expect(budgets.requestRatePerMinute == 7 && budgets.requestBurst == 3 && budgets.sourceTableCapacity == 16)
    }
}
