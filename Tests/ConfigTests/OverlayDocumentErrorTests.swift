import Config
import Testing

/// Documents the grammar does not allow: each gets a typed error naming the element (and
/// attribute) and its line and column.
@Suite struct OverlayDocumentErrorTests {
    static let head = "<overlay xmlns=\"urn:ietf:params:xml:ns:p2p:config-base\" "
        + "xmlns:chord=\"urn:ietf:params:xml:ns:p2p:config-chord\" xmlns:x=\"urn:foreign\">\n"

    /// The body goes on line 3, column 1.
    static func config(_ body: String, attributes: String = " instance-name=\"o.example\"") -> [UInt8] {
        return Array((head + "<configuration\(attributes)>\n\(body)\n</configuration>\n</overlay>").utf8)
    }

    static let line3 = SourceLocation(line: 3, column: 1)

    @Test(arguments: [
        ("<unknown>1</unknown>", OverlayConfigError.unknownElement("unknown", line3)),
        ("<chord:chord-foo>1</chord:chord-foo>", .unknownElement("chord:chord-foo", line3)),
        ("<node-id-length>15</node-id-length>", .invalidValue(element: "node-id-length", attribute: nil,
                                                              reason: "not an integer in 16...20", line3)),
        ("<node-id-length>16</node-id-length><node-id-length>16</node-id-length>",
         .duplicate(element: "configuration", what: "<node-id-length>", SourceLocation(line: 3, column: 36))),
        ("<topology-plugin>A</topology-plugin><topology-plug-in>A</topology-plug-in>",
         .duplicate(element: "configuration", what: "<topology-plug-in>", SourceLocation(line: 3, column: 37))),
        ("<overlay-reliability-timer>199</overlay-reliability-timer>",
         .invalidValue(element: "overlay-reliability-timer", attribute: nil, reason: "not an integer in 200...3600000", line3)),
        ("<no-ice>yes</no-ice>", .invalidValue(element: "no-ice", attribute: nil,
                                               reason: "not a boolean (true, false, 1 or 0)", line3)),
        ("<root-cert>not base64!</root-cert>", .invalidValue(element: "root-cert", attribute: nil, reason: "not base64", line3)),
        ("<enrollment-server>http://ca.example</enrollment-server>",
         .invalidValue(element: "enrollment-server", attribute: nil, reason: "not an https: URL", line3)),
        ("<bootstrap-node address=\"300.1.1.1\"/>", .invalidValue(element: "bootstrap-node", attribute: "address",
                                                                  reason: "not an IPv4 or IPv6 address", SourceLocation(line: 3, column: 17))),
        ("<bootstrap-node port=\"1\"/>", .missing(element: "bootstrap-node", what: "attribute address", line3)),
        ("<bootstrap-node address=\"::1\" port=\"70000\"/>", .invalidValue(element: "bootstrap-node", attribute: "port",
                                                                          reason: "not an integer in 1...65535", SourceLocation(line: 3, column: 31))),
        ("<self-signed-permitted>true</self-signed-permitted>",
         .missing(element: "self-signed-permitted", what: "attribute digest", line3)),
        ("<no-ice x=\"1\">true</no-ice>", .unknownAttribute(element: "no-ice", attribute: "x", SourceLocation(line: 3, column: 9))),
        ("<no-ice x:a=\"1\">true</no-ice>", .unknownAttribute(element: "no-ice", attribute: "x:a", SourceLocation(line: 3, column: 9))),
        ("<no-ice><x:y/></no-ice>", .unknownElement("x:y (inside <no-ice>)", SourceLocation(line: 3, column: 9))),
        ("<bad-node>abc</bad-node>", .invalidValue(element: "bad-node", attribute: nil,
                                                   reason: "not a Node-ID in hex (1 to 20 bytes)", line3)),
        ("<required-kinds>text</required-kinds>", .invalidValue(element: "required-kinds", attribute: nil,
                                                                reason: "text is not allowed here", line3)),
        ("<required-kinds><kind-block><kind name=\"A\"><max-count>1</max-count><max-size>1</max-size>"
            + "<data-model>SINGLE</data-model></kind></kind-block></required-kinds>",
         .missing(element: "kind", what: "<access-control>", SourceLocation(line: 3, column: 29))),
        ("<required-kinds><kind-block><kind name=\"A\" id=\"1\"/></kind-block></required-kinds>",
         .duplicate(element: "kind", what: "both name and id", SourceLocation(line: 3, column: 44))),
        ("<required-kinds><kind-block><kind id=\"1\"><max-count>1</max-count><max-size>1</max-size>"
            + "<data-model>ARRAY</data-model><access-control>NODE-MULTIPLE</access-control></kind></kind-block></required-kinds>",
         .missing(element: "kind", what: "<max-node-multiple> (access control NODE-MULTIPLE)", SourceLocation(line: 3, column: 29))),
        ("<required-kinds><x:foreign/></required-kinds>", .unknownElement("x:foreign", SourceLocation(line: 3, column: 17))),
        ("<plain xmlns=\"\">1</plain>", .unknownElement("plain (elements need a namespace)", line3)),
    ])
    func refused(body: String, expected: OverlayConfigError) {
        #expect(throws: expected) { try OverlayDocument.parse(OverlayDocumentErrorTests.config(body)) }
    }

    /// Our self-signed extension elements: absent, the safe defaults (20 bits, one Node-ID per
    /// certificate); an explicit value, old ones included (0 bits), is kept; out of range refused.
    @Test func selfSignedExtensionDefaultsAndExplicitValues() throws {
        let namespace = " xmlns:p=\"urn:p2psip:params:xml:ns:config-ext1\""
        func parse(_ body: String) throws -> OverlayConfiguration {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config(
                body, attributes: " instance-name=\"o.example\"" + namespace)).configurations[0].configuration
        }
        let absent = try parse("<self-signed-permitted digest=\"sha256\">true</self-signed-permitted>")
        #expect(absent.selfSignedWorkBits == 20 && absent.selfSignedNodeIds == 1)
        let explicit = try parse("<p:self-signed-work-bits>0</p:self-signed-work-bits><p:self-signed-node-ids>3</p:self-signed-node-ids>")
        #expect(explicit.selfSignedWorkBits == 0 && explicit.selfSignedNodeIds == 3)
        #expect(throws: OverlayConfigError.self) { try parse("<p:self-signed-node-ids>0</p:self-signed-node-ids>") }
        #expect(throws: OverlayConfigError.self) { try parse("<p:self-signed-node-ids>17</p:self-signed-node-ids>") }
        // What the writer writes for a self-signed overlay names both, so that a reader with
        // other defaults reads the same.
        var configuration = OverlayConfiguration(instanceName: "o.example")
        configuration.selfSignedPermitted = SelfSignedPermission(permitted: true, digest: "sha256")
        let text = String(decoding: OverlayConfigurationWriter.document([configuration]), as: UTF8.self)
        #expect(text.contains(">20</p2psip:self-signed-work-bits>") && text.contains(">1</p2psip:self-signed-node-ids>"), "\(text)")
        #expect(try OverlayDocument.parse(OverlayConfigurationWriter.document([configuration])).configurations[0].configuration == configuration)
    }

    @Test func foreignExtensionsAreSkipped() throws {
        let body = "<x:anything a=\"b\"><x:deeper>text</x:deeper></x:anything>"
            + "<required-kinds><kind-block><kind id=\"5\"><x:ext>1</x:ext><max-count>1</max-count><max-size>1</max-size>"
            + "<data-model>SINGLE</data-model><access-control>USER-MATCH</access-control></kind></kind-block></required-kinds>"
        let document = try OverlayDocument.parse(OverlayDocumentErrorTests.config(body, attributes: " instance-name=\"o.example\" x:a=\"1\""))
        #expect(document.configurations[0].configuration.requiredKinds.count == 1)
    }

    @Test func configurationAttributes() {
        let location = SourceLocation(line: 2, column: 1)
        #expect(throws: OverlayConfigError.missing(element: "configuration", what: "attribute instance-name", location)) {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config("", attributes: ""))
        }
        #expect(throws: OverlayConfigError.invalidValue(element: "configuration", attribute: "sequence",
                                                 reason: "not an integer in 0...65534", SourceLocation(line: 2, column: 42))) {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config("", attributes: " instance-name=\"o.example\" sequence=\"65535\""))
        }
        #expect(throws: OverlayConfigError.invalidValue(element: "configuration", attribute: "expiration",
                                                 reason: "not an RFC 3339 date-time in UTC", SourceLocation(line: 2, column: 42))) {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config(
                "", attributes: " instance-name=\"o.example\" expiration=\"2002-10-10T07:00:00+01:00\""))
        }
        #expect(throws: OverlayConfigError.unknownAttribute(element: "configuration", attribute: "color", SourceLocation(line: 2, column: 42))) {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config("", attributes: " instance-name=\"o.example\" color=\"red\""))
        }
        #expect(throws: OverlayConfigError.invalidValue(element: "configuration", attribute: "instance-name",
                                                 reason: "not an overlay name (letters, digits, - . _ ~)", SourceLocation(line: 2, column: 16))) {
            try OverlayDocument.parse(OverlayDocumentErrorTests.config("", attributes: " instance-name=\"a b\""))
        }
    }

    @Test func documentStructure() {
        let wrongRoot = Array("<overlay xmlns=\"urn:other\"/>".utf8)
        #expect(throws: OverlayConfigError.self) { try OverlayDocument.parse(wrongRoot) }
        let empty = Array((OverlayDocumentErrorTests.head + "</overlay>").utf8)
        #expect(throws: OverlayConfigError.missing(element: "overlay", what: "a configuration", SourceLocation(line: 1, column: 1))) {
            try OverlayDocument.parse(empty)
        }
        let orphan = Array((OverlayDocumentErrorTests.head + "<signature>AAAA</signature></overlay>").utf8)
        #expect(throws: OverlayConfigError.unknownElement("signature (it must follow a configuration)", SourceLocation(line: 2, column: 1))) {
            try OverlayDocument.parse(orphan)
        }
        let twice = Array((OverlayDocumentErrorTests.head + "<configuration instance-name=\"a\"/>\n<configuration instance-name=\"a\"/></overlay>").utf8)
        #expect(throws: OverlayConfigError.duplicate(element: "overlay", what: "instance-name a", SourceLocation(line: 3, column: 1))) {
            try OverlayDocument.parse(twice)
        }
        let foreignAtTop = Array((OverlayDocumentErrorTests.head + "<x:y/><configuration instance-name=\"a\"/></overlay>").utf8)
        #expect(throws: OverlayConfigError.unknownElement("x:y", SourceLocation(line: 2, column: 1))) {
            try OverlayDocument.parse(foreignAtTop)
        }
    }

    @Test func valueParsers() {
        #expect(IPAddress.parse("192.0.2.1") == [192, 0, 2, 1])
        #expect(IPAddress.parse("::") == [UInt8](repeating: 0, count: 16))
        #expect(IPAddress.parse("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddress.parse("2001:DB8::1") == [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1])
        #expect(IPAddress.parse("::ffff:192.0.2.1") == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 1])
        #expect(IPAddress.parse("1:2:3:4:5:6:7:8")?.count == 16)
        for bad in ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::",
                    ":::", "1:2:3:4:5:6:7", "::1.2.3", "fe80::1%eth0", "1.2.3.4::"] {
            #expect(IPAddress.parse(bad) == nil, "\(bad)")
        }
        #expect(InternetTime.parse("1970-01-01T00:00:00Z") == 0)
        #expect(InternetTime.parse("2002-10-10T07:00:00.123Z") == InternetTime.parse("2002-10-10T07:00:00Z"))
        #expect(InternetTime.parse("2002-10-10T07:00:00+00:00") == 1_034_233_200)
        for bad in ["2002-10-10", "2002-13-10T07:00:00Z", "2002-02-30T07:00:00Z", "2002-10-10T24:00:00Z",
                    "2002-10-10T07:00:00", "2002-10-10T07:00:00+02:00", "2002-10-10T07:00:00.Z"] {
            #expect(InternetTime.parse(bad) == nil, "\(bad)")
        }
        #expect(InternetTime.format(1_034_233_200) == "2002-10-10T07:00:00Z")
    }
}
