import Testing
@testable import Wire

@Suite struct ByteReaderTests {
    @Test func readsBigEndianIntegers() throws {
        var reader = ByteReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12])
        #expect(try reader.readUInt8("a") == 0x01)
        #expect(try reader.readUInt16("b") == 0x0203)
        #expect(try reader.readUInt24("c") == 0x040506)
        #expect(try reader.readUInt32("d") == 0x0708090A)
        #expect(try reader.readUInt64("e") == 0x0B0C0D0E0F101112)
        #expect(reader.isAtEnd)
    }

    @Test func failedReadDoesNotMove() {
        var reader = ByteReader([0xAA, 0xBB, 0xCC])
        #expect(throws: WireError.truncated(field: "length", offset: 0, needed: 4, available: 3)) {
            try reader.readUInt32("length")
        }
        #expect(reader.offset == 0)
        #expect((try? reader.readUInt16("x")) == 0xAABB)
        #expect(throws: WireError.truncated(field: "y", offset: 2, needed: 2, available: 1)) {
            try reader.readUInt16("y")
        }
        #expect(reader.offset == 2)
    }

    @Test func containerIsBoundedByItsLength() throws {
        // opaque<0..2^8-1> holding 2 bytes, then one byte outside.
        var reader = ByteReader([0x02, 0x10, 0x20, 0x30])
        var inner = try reader.readContainer(lengthWidth: 1, limit: 255, "value")
        #expect(try inner.readUInt16("pair") == 0x1020)
        #expect(throws: WireError.truncated(field: "more", offset: 3, needed: 1, available: 0)) {
            try inner.readUInt8("more")
        }
        #expect(try reader.readUInt8("after") == 0x30)
    }

    @Test func containerLengthOverstatedByOne() {
        var reader = ByteReader([0x00, 0x03, 0x01, 0x02])
        #expect(throws: WireError.truncated(field: "body", offset: 2, needed: 3, available: 2)) {
            _ = try reader.readContainer(lengthWidth: 2, limit: 100, "body")
        }
        #expect(reader.offset == 0)
    }

    @Test func containerOverLimit() {
        var reader = ByteReader([0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 8))
        // A 4-byte length of 2^32-1 must be compared without overflow (Int is 32 bits on armv7).
        #expect(throws: WireError.lengthOverLimit(field: "message_body", offset: 0, length: Int(clamping: UInt64(0xFFFF_FFFF)), limit: 5000)) {
            _ = try reader.readContainer(lengthWidth: 4, limit: 5000, "message_body")
        }
    }

    @Test func expectEndReportsTrailingBytes() throws {
        var reader = ByteReader([0x01, 0x02, 0x03])
        _ = try reader.readUInt8("first")
        #expect(throws: WireError.trailingBytes(field: "struct", offset: 1, count: 2)) {
            try reader.expectEnd("struct")
        }
    }

    @Test func opaqueRoundTrip() throws {
        var writer = ByteWriter()
        try writer.writeOpaque([1, 2, 3], lengthWidth: 3, "blob")
        #expect(writer.bytes == [0, 0, 3, 1, 2, 3])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readOpaque(lengthWidth: 3, limit: 10, "blob") == [1, 2, 3])
    }

    @Test func everyTruncationIsATypedError() {
        // A structure: u16, opaque<0..2^8-1>, u32. Every prefix fails with a typed error.
        var writer = ByteWriter()
        writer.writeUInt16(7)
        try? writer.writeOpaque([9, 9, 9, 9], lengthWidth: 1, "name")
        writer.writeUInt32(0xDEADBEEF)
        let full = writer.bytes
        for cut in 0..<full.count {
            var reader = ByteReader(Array(full[0..<cut]))
            #expect(throws: WireError.self) {
                _ = try reader.readUInt16("a")
                _ = try reader.readOpaque(lengthWidth: 1, limit: 255, "name")
                _ = try reader.readUInt32("b")
            }
        }
    }
}

@Suite struct ByteWriterTests {
    @Test func writesBigEndian() {
        var writer = ByteWriter()
        writer.writeUInt8(0x01)
        writer.writeUInt16(0x0203)
        writer.writeUInt24(0x040506)
        writer.writeUInt32(0x0708090A)
        writer.writeUInt64(0x0B0C0D0E0F101112)
        #expect(writer.bytes == Array(1...0x12))
    }

    @Test func nestedContainersPatchTheirLengths() throws {
        var writer = ByteWriter()
        let outer = writer.beginContainer(lengthWidth: 2)
        let inner = writer.beginContainer(lengthWidth: 1)
        writer.writeBytes([0xAA, 0xBB])
        try writer.endContainer(inner, "inner")
        writer.writeUInt8(0xCC)
        try writer.endContainer(outer, "outer")
        #expect(writer.bytes == [0x00, 0x04, 0x02, 0xAA, 0xBB, 0xCC])
    }

    @Test func valueTooLongForItsLengthField() {
        var writer = ByteWriter()
        #expect(throws: WireError.valueTooLong(field: "ufrag", length: 256, limit: 255)) {
            try writer.writeOpaque([UInt8](repeating: 0, count: 256), lengthWidth: 1, "ufrag")
        }
    }
}

@Suite struct HexTests {
    @Test func encodesAndDecodes() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("0x d2 45\n4c 4f") == [0xD2, 0x45, 0x4C, 0x4F])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }
}

@Suite struct InstantTests {
    @Test func arithmetic() {
        let start = Instant(nanoseconds: 1_000_000_000)
        let later = start.adding(milliseconds: 1500)
        #expect(later.nanoseconds == 2_500_000_000)
        #expect(later.milliseconds(since: start) == 1500)
        #expect(start.milliseconds(since: later) == 0)
        #expect(start.millisecondsUntil(Instant(nanoseconds: 1_000_000_001)) == 1)  // rounds up
        #expect(later.millisecondsUntil(start) == 0)
        #expect(start.adding(milliseconds: UInt64.max).nanoseconds == UInt64.max)  // saturates
    }
}

@Suite struct JSONValueTests {
    @Test func serializesWithRFC8259Escapes() throws {
        let value = JSONValue.object([
            .init("node_id", .string("00ff")),
            .init("tricky", .string("a\"b\\c\n\u{01}é")),
            .init("peers", .array([.integer(-3), .bool(true), .null])),
            .init("empty", .object([])),
        ])
        let text = value.serialized
        #expect(text == #"{"node_id":"00ff","tricky":"a\"b\\c\n\u0001é","peers":[-3,true,null],"empty":{}}"#)
    }
}
