import SIP
import Testing

@Suite struct SIPBuildTests {
    func request() throws -> SIPMessage {
        return try SIPMessage.parse(datagram: Array(SIPParserTests.register.utf8))
    }

    /// RFC 3261 §8.2.6.2: Via (all, in order), From, To (+ tag), Call-ID and CSeq copied.
    @Test func responseCopiesTheTransactionHeaders() throws {
        var request = try request()
        request.via.append(SIPVia(transport: Array("TCP".utf8), host: Array("proxy.example".utf8), parameters: [SIPParameter("branch", "z9hG4bK2")]))
        let response = SIPMessage.response(to: request, statusCode: 200, reason: Array("OK".utf8), toTag: Array("abc123".utf8))
        #expect(response.statusCode == 200)
        #expect(response.via == request.via)
        #expect(response.from == request.from)
        #expect(response.to.uri == request.to.uri)
        #expect(response.to.tag == Array("abc123".utf8))
        #expect(response.callId == request.callId)
        #expect(response.cseq == request.cseq)
        #expect(response.maxForwards == nil)
        #expect(response.contacts.isEmpty)
        let parsed = try SIPMessage.parse(datagram: response.serialize())
        #expect(parsed == response)
    }

    @Test func trying100KeepsToWithoutTagAndCopiesTimestamp() throws {
        var request = try request()
        request.otherHeaders.append(SIPHeaderField("Timestamp", "54"))
        let trying = SIPMessage.response(to: request, statusCode: 100, reason: Array("Trying".utf8), toTag: Array("t".utf8))
        #expect(trying.to.tag == nil)
        #expect(trying.values(of: "timestamp") == [Array("54".utf8)])
        let final = SIPMessage.response(to: request, statusCode: 486, reason: Array("Busy Here".utf8), toTag: Array("t".utf8))
        #expect(final.values(of: "timestamp").isEmpty)
    }

    @Test func existingToTagIsKept() throws {
        var request = try request()
        request.to.parameters.set("tag", Array("dialog".utf8))
        let response = SIPMessage.response(to: request, statusCode: 200, reason: Array("OK".utf8), toTag: Array("new".utf8))
        #expect(response.to.tag == Array("dialog".utf8))
    }

    /// Nothing a caller puts into a reason phrase, a display name or a text header can end a
    /// line early (header injection).
    @Test func controlCharactersCannotInjectHeaders() throws {
        var request = try request()
        request.from.displayName = Array("Eve\r\nContact: *".utf8)
        request.otherHeaders.append(SIPHeaderField("Subject", "hi\r\nContact: *"))
        let response = SIPMessage.response(to: request, statusCode: 400, reason: Array("Bad\r\nContact: *".utf8), toTag: nil)
        let parsed = try SIPMessage.parse(datagram: response.serialize())
        #expect(!parsed.isContactWildcard)
        let echoed = try SIPMessage.parse(datagram: request.serialize())
        #expect(!echoed.isContactWildcard)
        #expect(echoed.from.displayName == Array("Eve  Contact: *".utf8))
    }

    @Test func builtRequestRoundTrips() throws {
        let uri = SIPURI(scheme: .sips, user: Array("alice".utf8), host: Array("Overlay.Example".utf8), port: 5061, parameters: [SIPParameter("transport", "tls")])
        let via = SIPVia(transport: Array("tls".utf8), host: Array("[2001:db8::2]".utf8), port: 5061, parameters: [SIPParameter("branch", "z9hG4bKx"), SIPParameter("rport", nil)])
        var message = SIPMessage.request(
            method: .invite, uri: uri, via: via, from: SIPNameAddress(displayName: Array("A \"quoted\" \\ name".utf8), uri: uri, parameters: [SIPParameter("tag", "1")]),
            to: SIPNameAddress(uri: uri), callId: Array("c@h".utf8), sequence: 1)
        message.routes = [SIPNameAddress(uri: SIPURI(host: Array("proxy.example".utf8), parameters: [SIPParameter("lr", nil)]))]
        message.recordRoutes = message.routes
        message.contacts = [SIPNameAddress(uri: uri, parameters: [SIPParameter("expires", "60")])]
        var credentials = SIPAuthentication(scheme: Array("Digest".utf8), parameters: [])
        credentials.appendQuoted("username", Array("al\"ice".utf8))
        credentials.appendToken("nc", Array("00000001".utf8))
        message.proxyAuthorizations = [credentials]
        message.otherHeaders = [SIPHeaderField("Content-Type", "text/plain")]
        message.body = Array("hello".utf8)
        #expect(uri.host == Array("overlay.example".utf8))
        let parsed = try SIPMessage.parse(datagram: message.serialize())
        #expect(parsed == message)
        #expect(parsed.proxyAuthorizations[0].value("username") == Array("al\"ice".utf8))
        #expect(String(decoding: message.serialize(), as: UTF8.self).hasPrefix("INVITE sips:alice@overlay.example:5061;transport=tls SIP/2.0\r\nVia: SIP/2.0/TLS [2001:db8::2]:5061;branch=z9hG4bKx;rport\r\n"))
    }

    /// RFC 3261 §18.2.1 and RFC 3581 §4.
    @Test func receivedAndRport() throws {
        var request = try request()
        request.markReceived(host: Array("192.0.2.4".utf8), port: 5060)
        #expect(request.via[0].received == nil)
        request.markReceived(host: Array("198.51.100.7".utf8), port: 5060)
        #expect(request.via[0].received == Array("198.51.100.7".utf8))
        var nat = try self.request()
        nat.via[0].parameters.set("rport", nil)
        nat.markReceived(host: Array("192.0.2.4".utf8), port: 40000)
        #expect(nat.via[0].received == Array("192.0.2.4".utf8))
        #expect(nat.via[0].responsePort == .filled(40000))
        #expect(try SIPMessage.parse(datagram: nat.serialize()) == nat)
    }

    @Test func limitRelations() {
        #expect(SIPLimits.maximumHeaderSectionBytes + 4 <= SIPLimits.maximumMessageBytes)
        #expect(SIPLimits.maximumBodyBytes < SIPLimits.maximumMessageBytes)
        #expect(SIPLimits.maximumLineBytes < SIPLimits.maximumHeaderSectionBytes)
        #expect(SIPLimits.pathMTUBoundBytes < SIPLimits.maximumMessageBytes)
        #expect(SIPLimits.maximumMessageBytes <= 65507)
        #expect(SIPLimits.defaultMaxForwards <= SIPLimits.maximumMaxForwards)
        // The largest number we read (10 digits) may exceed UInt32 but never UInt64.
        #expect(SIPLimits.maximumDigits <= 19)
        #expect(SIPLimits.maximumDigits >= String(UInt32.max).count)
    }
}
