import Logging
import NIOCore
import SluiceMediation
import SluiceModel
import SluiceTesting
import Testing

/// The lines Synapse's LogMediator writes, read through an injected log handler: `simple` (`To`, the addressing
/// parts the message has, `MessageID`, `Direction`), `headers` (SOAP header blocks), `full` (`simple` and the
/// envelope), `custom` (the properties), joined by the separator; the category is the log level.
@Suite struct LogMediatorTests {
    private func logged(
        _ mediators: String,
        context: MessageContext = Build.context(),
        prepare: (inout MessageContext) -> Void = { _ in }
    ) throws -> [LogRecorder.Entry] {
        let recorder = LogRecorder()
        var context = context
        context.logger = recorder.logger(level: .trace)
        prepare(&context)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
        return recorder.entries
    }

    @Test func simpleLevelWritesSynapsesAddressingLine() throws {
        let entries = try logged(
            #"<log><property name="order" expression="$ctx:order"/></log>"#,
            context: Build.context(path: "/shop/1.0/orders", query: "id=7"),
            prepare: { $0[property: "order"] = "42" }
        )
        let entry = try #require(entries.first)
        #expect(entry.level == .info)
        let pattern = #/To: /shop/1\.0/orders\?id=7, MessageID: urn:uuid:[0-9a-f-]{36}, Direction: request, order = 42/#
        #expect(entry.message.wholeMatch(of: pattern) != nil, "\(entry.message)")
    }

    /// Addressing parts appear only when the message has them; the message id is made once per message.
    @Test func simpleLevelAddsTheAddressingPartsTheMessageHas() throws {
        let entries = try logged(
            """
            <header name="From" value="http://client.example/"/>
            <header name="Action" value="urn:getQuote"/>
            <header name="ReplyTo" value="http://reply.example/"/>
            <header name="MessageID" value="urn:uuid:00000000-0000-4000-8000-000000000001"/>
            <log separator=" | "/>
            <log category="WARN"/>
            """,
            context: Build.context(path: "/q", headers: [("SOAPAction", "\"urn:getQuote\"")])
        )
        #expect(entries.map(\.message) == [
            "To: /q | From: http://client.example/ | WSAction: urn:getQuote | SOAPAction: urn:getQuote"
                + " | ReplyTo: http://reply.example/ | MessageID: urn:uuid:00000000-0000-4000-8000-000000000001"
                + " | Direction: request",
            "To: /q, From: http://client.example/, WSAction: urn:getQuote, SOAPAction: urn:getQuote,"
                + " ReplyTo: http://reply.example/, MessageID: urn:uuid:00000000-0000-4000-8000-000000000001,"
                + " Direction: request",
        ])
        #expect(entries.map(\.level) == [.info, .warning])
    }

    /// `custom` writes the properties only (`null` for one without a value), credentials masked.
    @Test func customLevelWritesThePropertiesOnly() throws {
        let entries = try logged(
            """
            <log level="custom" separator=";">
              <property name="text" value="hello"/>
              <property name="missing" expression="$ctx:nothing"/>
              <property name="auth" expression="$trp:Authorization"/>
            </log>
            """,
            context: Build.context(headers: [("Authorization", "Bearer secret-token")])
        )
        #expect(entries.map(\.message) == ["text = hello;missing = null;auth = ***"])
    }

    /// `full` adds the envelope Synapse would log: a REST payload inside a SOAP 1.1 body (JSON as Synapse's XML),
    /// a SOAP message as it is, no payload as an empty body.
    @Test(arguments: [
        (
            "application/json", #"{"id":7}"#,
            #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><jsonObject><id>7</id></jsonObject></soapenv:Body></soapenv:Envelope>"#
        ),
        (
            "application/xml", #"<?xml version="1.0"?><order><id>7</id></order>"#,
            #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><order><id>7</id></order></soapenv:Body></soapenv:Envelope>"#
        ),
        (
            "text/xml", #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><q/></s:Body></s:Envelope>"#,
            #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><q/></s:Body></s:Envelope>"#
        ),
        (
            "application/json", "",
            #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>"#
        ),
    ])
    func fullLevelAddsTheEnvelope(contentType: String, body: String, envelope: String) throws {
        let entries = try logged(
            #"<log level="full"><property name="p" value="v"/></log>"#,
            context: Build.context(method: "POST", path: "/o", headers: [("Content-Type", contentType)], body: body)
        )
        let message = try #require(entries.first?.message)
        #expect(message.hasPrefix("To: /o, MessageID: urn:uuid:"))
        #expect(message.hasSuffix(", Direction: request, p = v, Envelope: " + envelope), "\(message)")
    }

    /// `headers` writes `name : text` for each SOAP header block; a REST message has none, so only properties.
    @Test func headersLevelWritesTheSOAPHeaderBlocks() throws {
        let envelope = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>\
            <a:Tenant xmlns:a="urn:a">acme</a:Tenant><a:Trace xmlns:a="urn:a">on</a:Trace></s:Header>\
            <s:Body><q/></s:Body></s:Envelope>
            """
        let soap = try logged(
            #"<log level="headers"><property name="p" value="v"/></log>"#,
            context: Build.context(method: "POST", headers: [("Content-Type", "text/xml")], body: envelope)
        )
        #expect(soap.map(\.message) == ["Tenant : acme, Trace : on, p = v"])
        let rest = try logged(
            #"<log level="headers"><property name="p" value="v"/></log>"#,
            context: Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: "{}")
        )
        #expect(rest.map(\.message) == ["p = v"])
    }

    /// In the out flow `Direction` is `response`, and a response has no `To` unless one was set.
    @Test func responsesSayResponse() throws {
        var context = Build.context(path: "/o")
        context.receiveResponse(status: 200, headers: ["Content-Type": "application/json"], body: .text("{}"))
        let entries = try logged("<log/>", context: context)
        let message = try #require(entries.first?.message)
        #expect(message.hasPrefix("To: , MessageID: urn:uuid:"))
        #expect(message.hasSuffix(", Direction: response"))
    }

    @Test func fullAndHeadersLevelsNeedTheBody() throws {
        #expect(try Build.sequence([.log(LogMediator(level: .full))]).readsBody)
        #expect(try Build.sequence([.log(LogMediator(level: .headers))]).readsBody)
        #expect(try !Build.sequence([.log(LogMediator(level: .simple))]).readsBody)
    }

    @Test func belowThresholdLogsNothing() throws {
        let recorder = LogRecorder()
        var context = Build.context()
        context.logger = recorder.logger(level: .info)
        try Build.run([.log(LogMediator(category: .debug))], on: &context)
        #expect(recorder.entries.isEmpty)
    }

    /// A malformed body cannot be logged in full: the message fails to build, as in Synapse (601000).
    @Test func aMalformedBodyFailsAsSynapsesBuilderDoes() throws {
        #expect(throws: MediationFault.self) {
            _ = try logged(
                #"<log level="full"/>"#,
                context: Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a><b></a>")
            )
        }
    }
}
