import SIP
import Wire

/// One contact of an address of record (RFC 3261 §10.3: a binding), with what a registrar
/// must remember of the REGISTER that made it (step 7: Call-ID and CSeq) and where the phone
/// sends from, so that requests for it go back through its NAT binding and socket.
struct Binding: Equatable {
    /// As the phone wrote it, without the `expires` parameter (we write our own).
    var contact: SIPNameAddress
    var source: PhoneAddress
    var callId: [UInt8]
    var sequence: UInt32
    var expiresAt: WallTime
    /// When it was last registered or refreshed: the newest binding takes calls.
    var updatedAt: WallTime
}

struct RegistrationRecord {
    let addressOfRecord: AddressOfRecord
    var bindings: [Binding]
}

/// The bindings of this front's phones, bounded in total and per address of record.
struct RegistrationTable {
    let capacity: Int
    private(set) var records: [RegistrationRecord] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var bindingCount: Int { records.reduce(0) { $0 + $1.bindings.count } }

    func bindings(of addressOfRecord: AddressOfRecord) -> [Binding] {
        return records.first { $0.addressOfRecord == addressOfRecord }?.bindings ?? []
    }

    /// Whether `bindings` may replace those of `addressOfRecord` within the capacities, with
    /// `reserved` places held for REGISTERs waiting for their Store.
    func fits(_ bindings: [Binding], for addressOfRecord: AddressOfRecord, reserved: Int = 0) -> Bool {
        let others = bindingCount - self.bindings(of: addressOfRecord).count
        return bindings.count <= SIPFrontLimits.contactsPerAddressOfRecord && others + reserved + bindings.count <= capacity
    }

    /// Commits the bindings of a REGISTER that was fully checked (and stored).
    mutating func replace(_ addressOfRecord: AddressOfRecord, with bindings: [Binding]) {
        precondition(fits(bindings, for: addressOfRecord), "checked with fits before")
        records.removeAll { $0.addressOfRecord == addressOfRecord }
        if !bindings.isEmpty { records.append(RegistrationRecord(addressOfRecord: addressOfRecord, bindings: bindings)) }
        precondition(bindingCount <= capacity)
    }

    /// The binding whose contact is `uri` (a request inside a dialog targets the contact;
    /// RFC 3261 §19.1.4 compares scheme, user, host and port; parameters may differ).
    func binding(target uri: SIPURI, now: WallTime) -> Binding? {
        for record in records {
            for binding in record.bindings where binding.expiresAt > now && RegistrationTable.sameTarget(binding.contact.uri, uri) {
                return binding
            }
        }
        return nil
    }

    /// The binding to deliver a request for `addressOfRecord` to: the newest live one.
    func newestBinding(of addressOfRecord: AddressOfRecord, now: WallTime) -> Binding? {
        return bindings(of: addressOfRecord).filter { $0.expiresAt > now }.max { $0.updatedAt < $1.updatedAt }
    }

    /// Whether a phone at `source` has a live registration (only such phones may place calls).
    func hasSource(_ source: PhoneAddress, now: WallTime) -> Bool {
        return records.contains { $0.bindings.contains { $0.source == source && $0.expiresAt > now } }
    }

    /// Drops expired bindings; returns the addresses of record left without any.
    mutating func expire(now: WallTime) -> [AddressOfRecord] {
        var emptied: [AddressOfRecord] = []
        for index in records.indices {
            records[index].bindings.removeAll { $0.expiresAt <= now }
            if records[index].bindings.isEmpty { emptied.append(records[index].addressOfRecord) }
        }
        records.removeAll { $0.bindings.isEmpty }
        return emptied
    }

    /// The earliest expiry, for the event loop's timeout.
    var nextExpiry: WallTime? {
        return records.flatMap { $0.bindings.map { $0.expiresAt } }.min()
    }

    static func sameTarget(_ left: SIPURI, _ right: SIPURI) -> Bool {
        return left.scheme == right.scheme && left.user == right.user && left.host == right.host
            && (left.port ?? 5060) == (right.port ?? 5060)
    }
}
