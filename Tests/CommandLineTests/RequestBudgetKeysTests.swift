import Config
import Node
import Testing
import Wire

@testable import p2psip

/// The board's request budget keys reach the Node, with NodeConfiguration's defaults and
/// within TokenBucketTable's limits (the schema cannot import Node or Wire's table rules).
@Suite struct RequestBudgetKeysTests {
    @Test func schemaDefaultsAreTheNodesOwn() {
        var node = NodeConfiguration(overlayName: "budgets.test")
        let defaults = node
        PeerSetup.applyRequestBudgets(BoardConfig.defaults, to: &node)
        #expect(node.requestsPerMinute == defaults.requestsPerMinute && node.requestBurst == defaults.requestBurst)
        #expect(node.userRequestsPerMinute == defaults.userRequestsPerMinute && node.userRequestBurst == defaults.userRequestBurst)
        #expect(node.verificationsPerSecond == defaults.verificationsPerSecond)
        #expect(node.misbehaviour == defaults.misbehaviour)
        #expect(node.storesPerMinute == defaults.storesPerMinute && node.storeBurst == defaults.storeBurst)
        for name in ["request-rate", "user-request-rate", "store-rate"] {
            #expect(BoardConfigSchema.key(named: name)?.type == .integer(1...TokenBucketTable.maximumRatePerMinute), "\(name)")
        }
        for name in ["request-burst", "user-request-burst", "store-burst"] {
            #expect(BoardConfigSchema.key(named: name)?.type == .integer(1...TokenBucketTable.maximumBurst), "\(name)")
        }
    }

    @Test func boardValuesReachTheNode() throws {
        let text = "request-rate = 600\nrequest-burst = 20\nuser-request-rate = 900\nuser-request-burst = 30\nverify-budget-per-second = 75\nmisbehaviour-threshold = 0\nban-seconds = 60\nstore-rate = 30\nstore-burst = 5\n"
        let board = try BoardConfig.parse(Array(text.utf8), fileName: "test.conf").get()
        var node = NodeConfiguration(overlayName: "budgets.test")
        PeerSetup.applyRequestBudgets(board, to: &node)
        #expect(node.requestsPerMinute == 600 && node.requestBurst == 20)
        #expect(node.userRequestsPerMinute == 900 && node.userRequestBurst == 30 && node.verificationsPerSecond == 75)
        #expect(node.misbehaviour.threshold == 0 && node.misbehaviour.banMilliseconds == 60_000)
        #expect(node.storesPerMinute == 30 && node.storeBurst == 5)
    }
}
