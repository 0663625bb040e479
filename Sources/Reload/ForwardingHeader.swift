import Wire

/// §6.3.2 ForwardingHeader: the part every peer on the path reads.
///
///     relo_token u32 ‖ overlay u32 ‖ configuration_sequence u16 ‖ version u8 ‖ ttl u8 ‖
///     fragment u32 ‖ length u32 ‖ transaction_id u64 ‖ max_response_length u32 ‖
///     via_list_length u16 ‖ destination_list_length u16 ‖ options_length u16 ‖
///     via_list ‖ destination_list ‖ options
///
/// relo_token and version are constants; length and the three list lengths are computed when
/// encoding and checked when decoding, so they are not stored here.
public struct ForwardingHeader: Equatable, Sendable {
    public var overlay: UInt32
    public var configurationSequence: UInt16
    public var ttl: UInt8
    public var fragment: Fragment
    public var transactionId: UInt64
    public var maxResponseLength: UInt32
    public var viaList: [Destination]
    public var destinationList: [Destination]
    public var options: [ForwardingOption]

    public init(
        overlay: UInt32, configurationSequence: UInt16 = 0, ttl: UInt8 = ReloadConstants.defaultInitialTTL,
        fragment: Fragment = .unfragmented, transactionId: UInt64, maxResponseLength: UInt32 = 0,
        viaList: [Destination] = [], destinationList: [Destination], options: [ForwardingOption] = []
    ) {
        self.overlay = overlay
        self.configurationSequence = configurationSequence
        self.ttl = ttl
        self.fragment = fragment
        self.transactionId = transactionId
        self.maxResponseLength = maxResponseLength
        self.viaList = viaList
        self.destinationList = destinationList
        self.options = options
    }

    /// Decodes the header at the reader's position. The reader's window must be exactly one
    /// message (or fragment): its `length` field must equal the window's size.
    public static func decode(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) -> ForwardingHeader {
        let start = reader.offset
        let token = try reader.readUInt32("ForwardingHeader.relo_token")
        try reader.require(token == ReloadConstants.reloToken, "ForwardingHeader.relo_token", at: start, UInt64(token))
        let overlay = try reader.readUInt32("ForwardingHeader.overlay")
        let sequence = try reader.readUInt16("ForwardingHeader.configuration_sequence")
        let version = try reader.readUInt8("ForwardingHeader.version")
        try reader.require(version == ReloadConstants.version, "ForwardingHeader.version", at: start + 10, UInt64(version))
        let ttl = try reader.readUInt8("ForwardingHeader.ttl")
        let rawFragment = try reader.readUInt32("ForwardingHeader.fragment")
        guard let fragment = Fragment(rawValue: rawFragment) else {
            throw .invalidValue(field: "ForwardingHeader.fragment", offset: start + 12, value: UInt64(rawFragment))
        }
        try checkLength(&reader, start: start)
        let transactionId = try reader.readUInt64("ForwardingHeader.transaction_id")
        let maxResponseLength = try reader.readUInt32("ForwardingHeader.max_response_length")
        var header = ForwardingHeader(
            overlay: overlay, configurationSequence: sequence, ttl: ttl, fragment: fragment,
            transactionId: transactionId, maxResponseLength: maxResponseLength, destinationList: [])
        try header.decodeLists(from: &reader, configuration)
        return header
    }

    /// §6.3.2 length: "the count in bytes of the size of the message, including the header".
    static func checkLength(_ reader: inout ByteReader, start: Int) throws(WireError) {
        let lengthOffset = reader.offset
        let announced = try reader.readUInt32("ForwardingHeader.length")
        let actual = reader.end - start
        // Compared before converting: a 32-bit length need not fit Int on a 32-bit board.
        if UInt64(announced) > UInt64(actual) {
            throw .truncated(field: "ForwardingHeader.length", offset: lengthOffset, needed: Int(clamping: announced), available: actual)
        }
        let length = Int(announced)
        if length < actual {
            throw .trailingBytes(field: "ForwardingHeader.length", offset: start + length, count: actual - length)
        }
    }

    mutating func decodeLists(from reader: inout ByteReader, _ configuration: CodecConfiguration) throws(WireError) {
        let viaLength = Int(try reader.readUInt16("ForwardingHeader.via_list_length"))
        let destinationLength = Int(try reader.readUInt16("ForwardingHeader.destination_list_length"))
        let optionsLength = Int(try reader.readUInt16("ForwardingHeader.options_length"))
        let viaStart = reader.offset
        var via = try reader.readFixedContainer(viaLength, "ForwardingHeader.via_list")
        viaList = try via.readElements(countLimit: ReloadLimits.destinations, "ForwardingHeader.via_list", configuration)
        var destinations = try reader.readFixedContainer(destinationLength, "ForwardingHeader.destination_list")
        let destinationStart = destinations.offset
        destinationList = try destinations.readElements(
            countLimit: ReloadLimits.destinations, "ForwardingHeader.destination_list", configuration)
        var options = try reader.readFixedContainer(optionsLength, "ForwardingHeader.options")
        self.options = try options.readElements(
            countLimit: ReloadLimits.forwardingOptions, "ForwardingHeader.options", configuration)
        try checkResourcePlacement(viaStart: viaStart, destinationStart: destinationStart)
    }

    /// §6.3.2.2: a resource destination "MUST appear only in the final location of a
    /// Destination List and MUST NOT appear in a Via List".
    func checkResourcePlacement(viaStart: Int, destinationStart: Int) throws(WireError) {
        for destination in viaList {
            if case .resource = destination {
                throw .invalidValue(field: "ForwardingHeader.via_list", offset: viaStart, value: 2)
            }
        }
        for destination in destinationList.dropLast() {
            if case .resource = destination {
                throw .invalidValue(field: "ForwardingHeader.destination_list", offset: destinationStart, value: 2)
            }
        }
    }

    /// Writes the header of a message of `messageLength` bytes in total.
    public func encode(to writer: inout ByteWriter, messageLength: Int) throws(WireError) {
        try checkResourcePlacement(viaStart: writer.count, destinationStart: writer.count)
        var via = ByteWriter(capacity: 64)
        try via.writeElements(viaList)
        var destinations = ByteWriter(capacity: 64)
        try destinations.writeElements(destinationList)
        var options = ByteWriter(capacity: 16)
        try options.writeElements(self.options)
        try ForwardingHeader.checkListLength(via.count, viaList.count, ReloadLimits.destinations, "ForwardingHeader.via_list")
        try ForwardingHeader.checkListLength(
            destinations.count, destinationList.count, ReloadLimits.destinations, "ForwardingHeader.destination_list")
        try ForwardingHeader.checkListLength(
            options.count, self.options.count, ReloadLimits.forwardingOptions, "ForwardingHeader.options")
        writer.writeUInt32(ReloadConstants.reloToken)
        writer.writeUInt32(overlay)
        writer.writeUInt16(configurationSequence)
        writer.writeUInt8(ReloadConstants.version)
        writer.writeUInt8(ttl)
        writer.writeUInt32(fragment.rawValue)
        writer.writeUInt32(UInt32(truncatingIfNeeded: messageLength))
        writer.writeUInt64(transactionId)
        writer.writeUInt32(maxResponseLength)
        writer.writeUInt16(UInt16(via.count))
        writer.writeUInt16(UInt16(destinations.count))
        writer.writeUInt16(UInt16(options.count))
        writer.writeBytes(via.bytes)
        writer.writeBytes(destinations.bytes)
        writer.writeBytes(options.bytes)
    }

    static func checkListLength(_ bytes: Int, _ count: Int, _ countLimit: Int, _ field: String) throws(WireError) {
        if count > countLimit { throw .countOverLimit(field: field, offset: 0, limit: countLimit) }
        if bytes > 0xFFFF { throw .valueTooLong(field: field, length: bytes, limit: 0xFFFF) }
    }

    /// The header's size in bytes (38 plus the three lists).
    public func encodedLength() throws(WireError) -> Int {
        var writer = ByteWriter(capacity: 128)
        try encode(to: &writer, messageLength: 0)
        return writer.count
    }

    /// §6.3.2.3: the first option that is critical for this node's role and not understood.
    /// `asDestination`: this node answers the request (DESTINATION_CRITICAL); otherwise it
    /// forwards it (FORWARD_CRITICAL).
    public func firstUnsupportedOption(asDestination: Bool, _ configuration: CodecConfiguration) -> Int? {
        let critical: ForwardingOption.Flags = asDestination ? .destinationCritical : .forwardCritical
        for (index, option) in options.enumerated()
        where option.flags.contains(critical) && !configuration.understoodForwardingOptions.contains(option.type) {
            return index
        }
        return nil
    }
}
