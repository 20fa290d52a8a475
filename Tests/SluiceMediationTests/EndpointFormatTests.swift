import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// An endpoint's `format` as Synapse's `Axis2FlexibleMEPClient` applies it: `soap11`/`soap12` force a POST with
/// a SOAP envelope of that version (`text/xml` + `SOAPAction`, or `application/soap+xml` + `action`), `pox`
/// plain `application/xml`, `get` a GET whose query carries the payload's elements, `rest` nothing.
@Suite struct EndpointFormatTests {
    private static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    private static let soap12 = "http://www.w3.org/2003/05/soap-envelope"

    private func apply(
        _ format: MessageFormat?,
        method: String = "POST",
        headers: [(String, String)] = [],
        body: String? = nil
    ) throws -> (MessageContext, MessageContext.EndpointFormatting) {
        var context = Build.context(method: method, headers: headers, body: body)
        let formatting = try context.applyEndpointFormat(format)
        return (context, formatting)
    }

    @Test func soap11WrapsAnEmptyGETInAnEnvelopeAndPostsIt() throws {
        let (context, formatting) = try apply(.soap11, method: "GET")
        #expect(formatting.method == "POST")
        #expect(context.body.text == #"<soapenv:Envelope xmlns:soapenv="\#(Self.soap11)"><soapenv:Body/></soapenv:Envelope>"#)
        #expect(context.headers.first(name: "Content-Type") == "text/xml; charset=UTF-8")
        #expect(context.headers.first(name: "SOAPAction") == "\"\"")
    }

    @Test func soap11WrapsJSONPlainXMLAndText() throws {
        let (json, _) = try apply(.soap11, headers: [("Content-Type", "application/json")], body: #"{"id":7,"tags":["a","b"]}"#)
        #expect(json.body.text?.contains("<soapenv:Body><jsonObject><id>7</id><tags>a</tags><tags>b</tags></jsonObject></soapenv:Body>") == true)
        let (pox, _) = try apply(
            .soap11, headers: [("Content-Type", "application/xml"), ("SOAPAction", "urn:getQuote")],
            body: #"<?xml version="1.0"?><getQuote><symbol>IBM</symbol></getQuote>"#
        )
        #expect(pox.body.text?.contains("<soapenv:Body><getQuote><symbol>IBM</symbol></getQuote></soapenv:Body>") == true)
        #expect(pox.headers.first(name: "SOAPAction") == "\"urn:getQuote\"")
        let (text, _) = try apply(.soap11, headers: [("Content-Type", "text/plain")], body: "a < b")
        #expect(text.body.text?.contains(#"<ax:text xmlns:ax="http://ws.apache.org/commons/ns/payload">a &lt; b</ax:text>"#) == true)
    }

    @Test func soapVersionsConvertIntoEachOther() throws {
        let (to11, formatting) = try apply(
            .soap11, headers: [("Content-Type", #"application/soap+xml; action="urn:a""#)],
            body: #"<e:Envelope xmlns:e="\#(Self.soap12)"><e:Header/><e:Body><q/></e:Body></e:Envelope>"#
        )
        #expect(formatting.method == "POST")
        #expect(to11.body.text?.contains(#"xmlns:soapenv="\#(Self.soap11)"><soapenv:Body><q/></soapenv:Body>"#) == true)
        #expect(to11.headers.first(name: "SOAPAction") == "\"urn:a\"")
        let (to12, _) = try apply(
            .soap12, headers: [("Content-Type", "text/xml"), ("SOAPAction", "\"urn:b\"")],
            body: #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body><q/></s:Body></s:Envelope>"#
        )
        #expect(to12.body.text?.contains(#"xmlns:soapenv="\#(Self.soap12)"><soapenv:Body><q/></soapenv:Body>"#) == true)
        #expect(to12.headers.first(name: "Content-Type") == #"application/soap+xml; charset=UTF-8; action="urn:b""#)
        #expect(to12.headers.first(name: "SOAPAction") == nil)
        // Already in the asked version: only the method changes.
        let original = #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body><q/></s:Body></s:Envelope>"#
        let (same, sameFormatting) = try apply(.soap11, method: "PUT", headers: [("Content-Type", "text/xml; charset=ISO-8859-1"), ("SOAPAction", "x")], body: original)
        #expect(same.body.text == original && sameFormatting.method == "POST")
        #expect(same.headers.first(name: "Content-Type") == "text/xml; charset=ISO-8859-1")
    }

    @Test func poxGivesPlainXML() throws {
        let (fromSOAP, formatting) = try apply(
            .pox, headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:a")],
            body: #"<s:Envelope xmlns:s="\#(Self.soap11)"><s:Body><q>1</q></s:Body></s:Envelope>"#
        )
        #expect(formatting.method == nil)
        #expect(fromSOAP.body.text == "<q>1</q>")
        #expect(fromSOAP.headers.first(name: "Content-Type") == "application/xml; charset=UTF-8")
        #expect(fromSOAP.headers.first(name: "SOAPAction") == nil)
        let (fromJSON, _) = try apply(.pox, headers: [("Content-Type", "application/json")], body: #"{"a":"x"}"#)
        #expect(fromJSON.body.text == "<jsonObject><a>x</a></jsonObject>")
        let (empty, _) = try apply(.pox, method: "GET")
        #expect(empty.body.text == "" && empty.headers.first(name: "Content-Type") == nil)
    }

    @Test func getSendsThePayloadElementsAsQueryParameters() throws {
        let (context, formatting) = try apply(
            .get, headers: [("Content-Type", "application/xml")], body: "<getQuote><symbol>IBM</symbol><n>2</n></getQuote>"
        )
        #expect(formatting.method == "GET")
        #expect(formatting.queryParameters.map(\.name) == ["symbol", "n"])
        #expect(formatting.queryParameters.map(\.value) == ["IBM", "2"])
        #expect(context.body.text == "")
        #expect(context.headers.first(name: "Content-Type") == nil)
        let (_, fromJSON) = try apply(.get, headers: [("Content-Type", "application/json")], body: #"{"q":"cats"}"#)
        #expect(fromJSON.queryParameters.map(\.value) == ["cats"])
    }

    @Test func restAndNoFormatLeaveTheMessageAlone() throws {
        for format in [MessageFormat.rest, nil] {
            let (context, formatting) = try apply(format, method: "GET", headers: [("Content-Type", "application/json")], body: "{}")
            #expect(formatting == MessageContext.EndpointFormatting())
            #expect(context.body.text == "{}")
        }
        #expect(!Build.context(headers: [("Content-Type", "application/xml")]).needsWholeBody(for: .pox))
        #expect(Build.context(headers: [("Content-Type", "application/json")]).needsWholeBody(for: .pox))
        #expect(!Build.context(headers: [("Content-Type", "text/xml"), ("SOAPAction", "")]).needsWholeBody(for: .soap11))
        #expect(Build.context(method: "GET").needsWholeBody(for: .soap11))
    }

    @Test func envelopeBodiesAndActionsAreFoundWhateverThePrefix() {
        #expect(MessageContext.bodyContent(ofEnvelope: "<e:Envelope><e:Header/><e:Body a='1'><x>1</x></e:Body></e:Envelope>") == "<x>1</x>")
        #expect(MessageContext.bodyContent(ofEnvelope: "<Envelope><Body/></Envelope>") == "")
        #expect(MessageContext.bodyContent(ofEnvelope: "<Envelope><BodyPart/></Envelope>") == nil)
        #expect(MessageContext.soapAction(HTTPHeaders([("Content-Type", #"application/soap+xml; action="urn:a""#)])) == "urn:a")
        #expect(MessageContext.soapAction(HTTPHeaders([("SOAPAction", "\"\"")])) == nil)
    }
}
