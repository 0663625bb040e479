import Testing
import Link

@Suite struct ConnectionTableTests {
    @Test func connectionTableNeverGrowsBeyondItsCapacity() {
        var table = ConnectionTable<Int>(capacity: 8)
        var model: [PeerAddress: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &generator)
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for step in 0..<5_000 {
            let address = PeerAddress(bytes: [UInt8(next() % 20)])!
            if next() % 3 == 0 {
                #expect(table.remove(address) == model.removeValue(forKey: address), "seed \(seed) step \(step)")
            } else {
                let expected: ConnectionTable<Int>.Insertion =
                    model[address] != nil ? .replaced : (model.count >= 8 ? .refusedFull : .inserted)
                #expect(table.insert(step, for: address) == expected, "seed \(seed) step \(step)")
                if expected != .refusedFull { model[address] = step }
            }
            #expect(table.count == model.count && table.count <= table.capacity)
        }
        var seen: [PeerAddress: Int] = [:]
        table.forEach { address, value in seen[address] = value }
        #expect(seen == model)
        #expect(Set(table.addresses) == Set(model.keys))
        for (address, value) in model { #expect(table.lookup(address) == value) }
    }

    @Test func iterationOrderIsInsertionOrderChangedOnlyByRemoval() {
        var table = ConnectionTable<String>(capacity: 4)
        let addresses = (1...4).map { PeerAddress(bytes: [UInt8($0)])! }
        for (index, address) in addresses.enumerated() { table.insert("peer \(index)", for: address) }
        #expect(table.addresses == addresses)
        #expect(table.insert("one too many", for: PeerAddress(bytes: [9])!) == .refusedFull)
        #expect(table.insert("replaced", for: addresses[1]) == .replaced && table.lookup(addresses[1]) == "replaced")
        // Removing moves the last entry into the gap.
        #expect(table.remove(addresses[0]) == "peer 0")
        #expect(table.addresses == [addresses[3], addresses[1], addresses[2]])
        #expect(table.remove(addresses[0]) == nil)
        #expect(table.insert("new", for: PeerAddress(bytes: [9])!) == .inserted && table.isFull)
    }
}
