import Reload
import Testing
import Wire

@testable import Node

/// The misbehaviour table (Misbehaviour): points per offence that fade, bans at the
/// threshold that expire, a user's Node-IDs sharing a score, credits for answered routes, and
/// both tables bounded.
@Suite struct MisbehaviourTests {
    static let limits = MisbehaviourLimits(threshold: 100, fadeMillisecondsPerPoint: 1_000, banMilliseconds: 60_000, capacity: 4)

    static func node(_ byte: UInt8) -> NodeId { NodeId(bytes: [UInt8](repeating: byte, count: 16))! }
    static func at(_ seconds: UInt64) -> Instant { Instant(nanoseconds: 1_000_000_000 * (1000 + seconds)) }

    @Test func pointsAddUpFadeAndBanAtTheThreshold() {
        var table = Misbehaviour(limits: Self.limits)
        let liar = Self.node(1)
        // Three answers from a node not responsible: 75 points, no ban.
        for second in 0..<3 { #expect(table.charge(liar, user: nil, .notResponsible, now: Self.at(UInt64(second))) == nil) }
        #expect(!table.isBanned(liar, user: nil, now: Self.at(3)))
        // 73 points; 30 s later 30 have faded: a fourth and a fifth offence are not enough
        // (68, 92), a sixth is.
        #expect(table.charge(liar, user: nil, .notResponsible, now: Self.at(32)) == nil)
        #expect(table.charge(liar, user: nil, .notResponsible, now: Self.at(33)) == nil)
        #expect(table.charge(liar, user: nil, .notResponsible, now: Self.at(34)) == .node(liar))
        #expect(table.isBanned(liar, user: nil, now: Self.at(35)))
        #expect(table.isBanned(liar, user: nil, now: Self.at(34 + 59)))
        #expect(!table.isBanned(liar, user: nil, now: Self.at(34 + 60)), "a ban expires")
        #expect(table.bansImposed == 1)
        let suspects = table.suspects(now: Self.at(40))
        #expect(suspects.first?.subject == liar.hex && suspects.first?.bannedMilliseconds == 54_000)
    }

    @Test func aUsersNodesShareAScore() {
        var table = Misbehaviour(limits: Self.limits)
        // Four Node-IDs of one user, two bad signatures each (80 points, under 100): together
        // 320 points, over the user's 200.
        var bans: [Misbehaviour.Ban] = []
        for byte in UInt8(1)...4 {
            for _ in 0..<2 {
                if let ban = table.charge(Self.node(byte), user: "mallory", .badSignature, now: Self.at(0)) { bans.append(ban) }
            }
        }
        #expect(bans == [.user("mallory")])
        #expect(table.isBanned(Self.node(9), user: "mallory", now: Self.at(1)), "every node of the user")
        #expect(!table.isBanned(Self.node(9), user: "alice", now: Self.at(1)))
    }

    @Test func answeredRoutesOutweighOccasionalFailures() {
        var table = Misbehaviour(limits: Self.limits)
        let honest = Self.node(1)
        let dropper = Self.node(2)
        // The honest hop fails one route in two; the dropper every one.
        for round in 0..<40 {
            let now = Self.at(UInt64(round))
            if round % 2 == 0 { _ = table.charge(honest, user: nil, .routeFailed, now: now) } else { table.credit(honest, now: now) }
            _ = table.charge(dropper, user: nil, .routeFailed, now: now)
        }
        #expect(!table.isBanned(honest, user: nil, now: Self.at(40)))
        #expect(table.isBanned(dropper, user: nil, now: Self.at(40)))
    }

    @Test func tablesAreBoundedAndKeepBans() {
        var table = Misbehaviour(limits: Self.limits)
        // Four banned nodes fill the table: a fifth is not tracked, the bans stay.
        for byte in UInt8(1)...4 {
            for _ in 0..<3 { _ = table.charge(Self.node(byte), user: nil, .badSignature, now: Self.at(0)) }
        }
        _ = table.charge(Self.node(5), user: nil, .routeFailed, now: Self.at(1))
        #expect(table.nodes.count == 4 && table.untracked == 1)
        #expect((UInt8(1)...4).allSatisfy { table.isBanned(Self.node($0), user: nil, now: Self.at(1)) })
        // Once the bans are over, new entries take the place of the lowest scores.
        for byte in UInt8(5)...12 { _ = table.charge(Self.node(byte), user: nil, .routeFailed, now: Self.at(100)) }
        #expect(table.nodes.count == 4)
    }

    @Test func thresholdZeroTurnsScoringOff() {
        var table = Misbehaviour(limits: MisbehaviourLimits(threshold: 0))
        for _ in 0..<100 { #expect(table.charge(Self.node(1), user: "x", .badSignature, now: Self.at(0)) == nil) }
        #expect(table.nodes.isEmpty && !table.isBanned(Self.node(1), user: "x", now: Self.at(0)))
    }
}
