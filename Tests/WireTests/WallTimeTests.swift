import Testing
@testable import Wire

@Suite struct WallTimeTests {
    @Test func carriesMillisecondsAndSeconds() {
        let time = WallTime(millisecondsSince1970: 1_790_000_000_999)
        #expect(time.millisecondsSince1970 == 1_790_000_000_999)
        #expect(time.secondsSince1970 == 1_790_000_000)
        #expect(WallTime(secondsSince1970: 1_790_000_000).millisecondsSince1970 == 1_790_000_000_000)
        #expect(WallTime(secondsSince1970: 0) == WallTime.epoch)
        // Before 1970 reads as 1970; past the far end saturates.
        #expect(WallTime(secondsSince1970: -5) == WallTime.epoch)
        #expect(WallTime(secondsSince1970: Int64.max).millisecondsSince1970 == UInt64.max)
        #expect(WallTime(millisecondsSince1970: UInt64.max).secondsSince1970 == Int64(UInt64.max / 1000))
    }

    @Test func addsAndSubtractsSaturating() {
        let time = WallTime(millisecondsSince1970: 10_500)
        #expect(time.adding(milliseconds: 250).millisecondsSince1970 == 10_750)
        #expect(time.adding(milliseconds: -500).millisecondsSince1970 == 10_000)
        #expect(time.adding(seconds: 3).millisecondsSince1970 == 13_500)
        #expect(time.adding(seconds: -10).millisecondsSince1970 == 500)
        #expect(time.adding(seconds: -11) == WallTime.epoch)
        #expect(time.adding(milliseconds: Int64.min) == WallTime.epoch)
        #expect(time.adding(seconds: Int64.min) == WallTime.epoch)
        #expect(time.adding(seconds: Int64.max).millisecondsSince1970 == UInt64.max)
        #expect(WallTime(millisecondsSince1970: UInt64.max - 1).adding(milliseconds: 5).millisecondsSince1970 == UInt64.max)
    }

    @Test func measuresTheTimeSinceAnEarlierOne() {
        let earlier = WallTime(millisecondsSince1970: 1_000)
        let later = WallTime(millisecondsSince1970: 3_999)
        #expect(later.milliseconds(since: earlier) == 2_999)
        #expect(later.seconds(since: earlier) == 2)
        #expect(earlier.milliseconds(since: later) == 0)
        #expect(earlier.seconds(since: later) == 0)
        #expect(earlier < later && !(later < earlier) && later == WallTime(millisecondsSince1970: 3_999))
        #expect(Set([earlier, later, WallTime(millisecondsSince1970: 1_000)]).count == 2)
    }

    @Test func convertsToAndFromTheCalendar() {
        // 2026-09-21T14:13:20Z is 1_790_000_000 seconds since 1970.
        let time = WallTime(millisecondsSince1970: 1_790_000_000_750)
        #expect(time.civilTime == CivilTime(year: 2026, month: 9, day: 21, hour: 14, minute: 13, second: 20))
        #expect(time.civilTime.description == "2026-09-21T14:13:20Z")
        #expect(WallTime(time.civilTime) == WallTime(secondsSince1970: 1_790_000_000))
        #expect(WallTime(CivilTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59)) == WallTime.epoch)
        #expect(WallTime.epoch.civilTime == CivilTime(year: 1970, month: 1, day: 1))
    }
}
