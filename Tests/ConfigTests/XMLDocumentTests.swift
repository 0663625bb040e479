@testable import Config
import Testing

@Suite struct XMLDocumentTests {
    func parse(_ text: String) throws(OverlayConfigError) -> XMLDocument {
        return try XMLDocument.parse(Array(text.utf8))
    }

    @Test func elementsAttributesNamespacesAndText() throws {
        let text = """
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <!-- a comment -->
            <a xmlns="urn:x" xmlns:p="urn:p" k='v &amp; &#x41;&#66;' p:k="w">
              <b>one &lt;two&gt; &apos;&quot;</b>
              <p:c/>
              <d xmlns="">text</d>
            </a>
            """
        let document = try parse(text)
        let root = document.root
        #expect(root.name == XMLName(namespace: "urn:x", localName: "a", qualifiedName: "a"))
        #expect(root.attribute("k")?.value == "v & AB")
        #expect(root.attributes.count == 2)
        #expect(root.attributes[1].name.namespace == "urn:p")
        #expect(root.children.count == 3)
        #expect(root.children[0].text == "one <two> '\"")
        #expect(root.children[1].name.namespace == "urn:p")
        #expect(root.children[2].name.namespace == "")
        #expect(root.hasOnlyWhitespaceText)
        let bytes = document.bytes(of: root.children[1])
        #expect(String(decoding: bytes, as: UTF8.self) == "<p:c/>")
        #expect(String(decoding: document.bytes(of: root.children[0]), as: UTF8.self) == "<b>one &lt;two&gt; &apos;&quot;</b>")
    }

    @Test func lineEndsAndAttributeWhitespaceAreNormalised() throws {
        let document = try XMLDocument.parse(Array("<a k=\"x\ty\r\nz\">1\r\n2\r3</a>".utf8))
        #expect(document.root.text == "1\n2\n3")
        #expect(document.root.attribute("k")?.value == "x y z")
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let document = try XMLDocument.parse([0xEF, 0xBB, 0xBF] + Array("<a/>".utf8))
        #expect(document.root.byteRange == 3..<7)
    }

    @Test(arguments: [
        ("", "no root element"),
        ("<a>", "element <a> is not closed"),
        ("<a></b>", "end tag </b> does not match <a>"),
        ("<a/><b/>", "content after the root element"),
        ("<!DOCTYPE a><a/>", "DOCTYPE declarations are not accepted"),
        ("<?pi x?><a/>", "processing instructions are not accepted"),
        ("<a><?pi x?></a>", "processing instructions are not accepted"),
        ("<a><![CDATA[x]]></a>", "CDATA sections are not accepted"),
        ("<a>&unknown;</a>", "unknown entity reference (only &lt; &gt; &amp; &apos; &quot; and &#...;)"),
        ("<a>&#0;</a>", "character reference to a character XML does not allow"),
        ("<a>&#xD800;</a>", "character reference to a character XML does not allow"),
        ("<a>&#x41</a>", "malformed character reference"),
        ("<a>]]></a>", "]]> in character data"),
        ("<a k=v/>", "attribute value must be quoted"),
        ("<a k=\"1\" k=\"2\"/>", "attribute k appears twice"),
        ("<a xmlns:p=\"u\" xmlns:q=\"u\" p:k=\"1\" q:k=\"2\"/>", "attribute q:k appears twice"),
        ("<a k=\"<\"/>", "< in an attribute value"),
        ("<a k=\"1\"k2=\"2\"/>", "attributes must be separated by whitespace"),
        ("<p:a/>", "namespace prefix p is not declared"),
        ("<a xmlns:p=\"\"/>", "a namespace prefix cannot be undeclared"),
        ("<a xmlns:xmlns=\"u\"/>", "the prefixes xml and xmlns cannot be declared"),
        ("<a><!-- x -- y --></a>", "-- inside a comment"),
        ("<a><!-- x </a>", "comment not closed"),
        ("<?xml version=\"1.1\"?><a/>", "XML version 1.1 (only 1.0)"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "encoding ISO-8859-1 (RFC 6940 §11.1: the file MUST use UTF-8)"),
        ("<?xml encoding=\"UTF-8\" version=\"1.0\"?><a/>", "unexpected version in the XML declaration"),
        (" <?xml version=\"1.0\"?><a/>", "processing instructions are not accepted"),
        ("<1a/>", "expected a name (ASCII letters, digits, - _ . and one :)"),
        ("<a:b:c/>", "malformed qualified name"),
        ("<é/>", "expected a name (ASCII letters, digits, - _ . and one :)"),
        ("<a>\u{1}</a>", "byte 3 is not UTF-8 text of XML characters"),
    ])
    func malformedDocumentsAreRefused(text: String, reason: String) {
        #expect {
            try parse(text)
        } throws: { error in
            guard case .malformedXML(let what, _) = error as? OverlayConfigError else { return false }
            return what == reason
        }
    }

    @Test func invalidUTF8IsRefused() {
        for bytes: [UInt8] in [[0x3C, 0x61, 0x3E, 0xC0, 0xAF, 0x3C, 0x2F, 0x61, 0x3E], [0x3C, 0x61, 0x3E, 0xED, 0xA0, 0x80],
                               [0x3C, 0x61, 0x3E, 0xFF], [0x3C, 0x61, 0x3E, 0xEF, 0xBF, 0xBE]] {
            #expect(throws: OverlayConfigError.self) { try XMLDocument.parse(bytes) }
        }
    }

    @Test func errorsCarryLineAndColumn() {
        let text = "<a>\n  <b>\n    <c k=\"1\" k=\"2\"/>\n  </b>\n</a>"
        #expect(throws: OverlayConfigError.malformedXML("attribute k appears twice", SourceLocation(line: 3, column: 14))) {
            try parse(text)
        }
        #expect(throws: OverlayConfigError.malformedXML("end tag </x> does not match <b>", SourceLocation(line: 2, column: 6))) {
            try parse("<a>\n  <b></x>")
        }
    }

    @Test func limitsAreEnforced() {
        let deep = String(repeating: "<a>", count: ConfigLimits.maximumDepth + 1) + String(repeating: "</a>", count: ConfigLimits.maximumDepth + 1)
        #expect { try parse(deep) } throws: { error in
            if case .limitExceeded("element depth", _, _) = error as? OverlayConfigError { return true }
            return false
        }
        let wide = "<a>" + String(repeating: "<b/>", count: ConfigLimits.maximumElements) + "</a>"
        #expect { try parse(wide) } throws: { error in
            if case .limitExceeded("number of elements", _, _) = error as? OverlayConfigError { return true }
            return false
        }
        let attributes = "<a " + (0...ConfigLimits.maximumAttributesPerElement).map { "k\($0)=\"1\"" }.joined(separator: " ") + "/>"
        #expect(throws: OverlayConfigError.self) { try parse(attributes) }
        let longText = "<a>" + String(repeating: "x", count: ConfigLimits.maximumTextBytes + 1) + "</a>"
        #expect(throws: OverlayConfigError.self) { try parse(longText) }
        let longName = "<" + String(repeating: "a", count: ConfigLimits.maximumNameBytes + 1) + "/>"
        #expect(throws: OverlayConfigError.self) { try parse(longName) }
        let huge = [UInt8](repeating: 0x20, count: ConfigLimits.maximumDocumentBytes + 1)
        #expect(throws: OverlayConfigError.limitExceeded("document of \(huge.count) bytes", limit: ConfigLimits.maximumDocumentBytes,
                                                  SourceLocation(line: 1, column: 1))) {
            try XMLDocument.parse(huge)
        }
    }

    /// Every prefix of a valid document is refused with a typed error, never a trap.
    @Test func everyTruncationIsATypedError() throws {
        let text = Array("<?xml version=\"1.0\"?><a xmlns=\"u\" k=\"&amp;\"><b>x&#65;</b><!--c--></a>".utf8)
        _ = try XMLDocument.parse(text)
        for length in 0..<text.count {
            #expect(throws: OverlayConfigError.self) { try XMLDocument.parse(Array(text[0..<length])) }
        }
    }
}
