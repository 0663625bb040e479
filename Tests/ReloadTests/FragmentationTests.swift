import Reload
import Testing
import Wire
import TestSupport

/// §6.7 fragmentation and bounded reassembly.
/// A point on the test's monotonic clock, `milliseconds` after its start.
private func ms(_ milliseconds: UInt64) -> Instant { Instant.zero.adding(milliseconds: milliseconds) }

@Suite struct FragmentationTests {
    static func bigMessage(_ transactionId: UInt64 = 77) throws -> [UInt8] {
        return try Samples.message(.storeRequest(try Samples.storeRequest()), transactionId).encode()
    }

    static func header(_ fragment: [UInt8]) throws -> ForwardingHeader {
        var reader = ByteReader(fragment)
        return try ForwardingHeader.decode(from: &reader, Samples.configuration)
    }

    @Test func fragmentsFollowTheRules() throws {
        let message = try FragmentationTests.bigMessage()
        let headerLength = Layout(message).headerLength
        let fragments = try Fragmentation.fragment(message, maximumBytes: 600, Samples.configuration)
        #expect(fragments.count == (message.count - headerLength + (600 - headerLength) - 1) / (600 - headerLength))
        var expectedOffset = 0
        for (index, fragment) in fragments.enumerated() {
            let header = try FragmentationTests.header(fragment)
            #expect(fragment.count <= 600)
            #expect(fragment.count - headerLength >= ReloadConstants.minimumFragmentPayloadBytes)
            #expect(Int(header.fragment.offset) == expectedOffset)
            #expect(header.fragment.isLast == (index == fragments.count - 1))
            #expect(Int(readUInt32(fragment, at: 16)) == fragment.count)
            #expect(Array(fragment[0..<12]) == Array(message[0..<12]))
            expectedOffset += fragment.count - headerLength
            // A fragment is not a message the destination decodes before reassembly.
            #expect(wireError(fragment)?.field == "ForwardingHeader.fragment")
        }
        #expect(expectedOffset == message.count - headerLength)
        let sizes = fragments.map { $0.count }
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func reassemblyInAnyOrderGivesTheMessage() throws {
        let message = try FragmentationTests.bigMessage()
        let fragments = try Fragmentation.fragment(message, maximumBytes: 500, Samples.configuration)
        var generator = SeededRandom(seed: 3)
        for _ in 0..<20 {
            var reassembly = Reassembly(configuration: Samples.configuration)
            var outcomes: [Reassembly.Outcome] = []
            for fragment in fragments.shuffled(using: &generator) {
                outcomes.append(reassembly.add(fragment, now: ms(1000)))
            }
            #expect(outcomes.dropLast().allSatisfy { $0 == .pending })
            #expect(outcomes.last == .complete(message))
            #expect(reassembly.pendingMessages == 0 && reassembly.heldBytes == 0)
        }
        #expect(try Message.decode(message, Samples.configuration) == Samples.message(.storeRequest(try Samples.storeRequest()), 77))
    }

    /// Any hop may fragment again: fragments of fragments reassemble to the original.
    @Test func refragmentation() throws {
        let message = try FragmentationTests.bigMessage()
        var pieces: [[UInt8]] = []
        for fragment in try Fragmentation.fragment(message, maximumBytes: 1000, Samples.configuration) {
            pieces += try Fragmentation.fragment(fragment, maximumBytes: 450, Samples.configuration)
        }
        #expect(pieces.count > 2)
        #expect(pieces.filter { (try? FragmentationTests.header($0).fragment.isLast) == true }.count == 1)
        var reassembly = Reassembly(configuration: Samples.configuration)
        var last: Reassembly.Outcome = .pending
        for piece in pieces.reversed() { last = reassembly.add(piece, now: ms(0)) }
        #expect(last == .complete(message))
    }

    @Test func noFragmentationWhenItFitsOrCannotBeSplit() throws {
        let small = try Samples.all()[0].message.encode()
        #expect(try Fragmentation.fragment(small, maximumBytes: 1200, Samples.configuration) == [small])
        let message = try FragmentationTests.bigMessage()
        // Room for fewer than 256 body bytes per fragment: not fragmented (§6.7).
        #expect(try Fragmentation.fragment(message, maximumBytes: 200, Samples.configuration) == [message])
        var reassembly = Reassembly(configuration: Samples.configuration)
        #expect(reassembly.add(small, now: ms(0)) == .complete(small))
    }

    @Test func duplicatesConflictsAndTimeouts() throws {
        let message = try FragmentationTests.bigMessage()
        let fragments = try Fragmentation.fragment(message, maximumBytes: 500, Samples.configuration)
        var reassembly = Reassembly(configuration: Samples.configuration)
        #expect(reassembly.add(fragments[0], now: ms(0)) == .pending)
        #expect(reassembly.add(fragments[0], now: ms(1)) == .pending)
        #expect(reassembly.nextDeadline == ms(15_000))
        var conflicting = fragments[0]
        conflicting[conflicting.count - 1] ^= 0xFF
        #expect(reassembly.add(conflicting, now: ms(2)) == .dropped(.conflictingFragments))
        #expect(reassembly.pendingMessages == 0)
        // 15 s after the first fragment the message is dropped (§6.7).
        #expect(reassembly.add(fragments[0], now: ms(100)) == .pending)
        #expect(reassembly.expire(now: ms(15_099)) == 0)
        #expect(reassembly.expire(now: ms(15_100)) == 1)
        #expect(reassembly.heldBytes == 0)
        for fragment in fragments.dropFirst() { _ = reassembly.add(fragment, now: ms(20_000)) }
        #expect(reassembly.add(fragments[0], now: ms(34_999)) == .complete(message))
        // Two different ends for one message.
        #expect(reassembly.add(fragments[fragments.count - 1], now: ms(40_000)) == .pending)
        var otherEnd = fragments[1]
        setUInt32(&otherEnd, at: 12, readUInt32(otherEnd, at: 12) | ReloadConstants.fragmentLastBit)
        #expect(reassembly.add(otherEnd, now: ms(40_001)) == .dropped(.conflictingFragments))
    }

    @Test func boundedBuffers() throws {
        var reassembly = Reassembly(configuration: Samples.configuration)
        for index in 0..<ReloadLimits.reassemblyBuffers {
            let fragments = try Fragmentation.fragment(
                try FragmentationTests.bigMessage(UInt64(index)), maximumBytes: 500, Samples.configuration)
            #expect(reassembly.add(fragments[0], now: ms(0)) == .pending)
        }
        let one = try Fragmentation.fragment(try FragmentationTests.bigMessage(999), maximumBytes: 500, Samples.configuration)
        #expect(reassembly.add(one[0], now: ms(0)) == .dropped(.tooManyMessages))
        #expect(reassembly.heldBytes <= ReloadLimits.reassemblyBytes)
        // A fragment that would end past max-message-size drops its message.
        var far = one[1]
        setUInt32(&far, at: 12, ReloadConstants.fragmentHighBit | 4900)
        var fresh = Reassembly(configuration: Samples.configuration)
        #expect(fresh.add(far, now: ms(0)) == .dropped(.messageTooLarge))
        #expect(fresh.add([1, 2, 3], now: ms(0)) == .dropped(.malformed(.truncated(field: "ForwardingHeader.relo_token", offset: 0, needed: 4, available: 3))))
    }

    @Test func byteBudget() throws {
        // With a large max-message-size, the byte budget is what stops a flood of fragments.
        let configuration = CodecConfiguration(maxMessageSize: 1 << 20)
        var reassembly = Reassembly(configuration: configuration)
        let template = try Fragmentation.fragment(try FragmentationTests.bigMessage(), maximumBytes: 500, configuration)[0]
        var outcome: Reassembly.Outcome = .pending
        var offset = 0
        var transaction: UInt64 = 1
        while outcome == .pending {
            var fragment = template
            setUInt32(&fragment, at: 20, 0)
            setUInt32(&fragment, at: 24, UInt32(transaction))
            setUInt32(&fragment, at: 12, ReloadConstants.fragmentHighBit | UInt32(offset))
            outcome = reassembly.add(fragment, now: ms(0))
            offset += fragment.count
            if offset > 60_000 {
                offset = 0
                transaction += 1
            }
        }
        #expect(outcome == .dropped(.outOfBufferSpace) || outcome == .dropped(.tooManyFragments))
        #expect(reassembly.heldBytes <= ReloadLimits.reassemblyBytes)
    }
}
