import Logging
@testable import SluiceMediation
import SluiceModel
import SluiceTesting
import Synchronization
import Testing

/// WSO2's `BotDetectionMediator` (the bot trap `_OpenService_`): records and logs the caller, three times per
/// address, then throttles the address out.
@Suite struct BotDetectionMediatorTests {
    static let className = "org.wso2.carbon.apimgt.gateway.mediators.BotDetectionMediator"

    /// Collects what the mediator offers.
    final class Collected: BotAccessSink {
        private let stored = Mutex<[BotAccess]>([])
        func offer(_ access: BotAccess) { stored.withLock { $0.append(access) } }
        var accesses: [BotAccess] { stored.withLock { $0 } }
    }

    /// A sequence holding the class mediator, compiled with a registry writing into `sink`, at time `now`.
    private func sequence(
        _ xml: String = #"<class name="\#(className)"/>"#,
        sink: Collected,
        now: Int64 = 1_700_000_000_000
    ) throws -> CompiledSequence {
        let registry = ClassMediatorRegistry.standard(clock: EpochClock { now }, botAccesses: sink)
        return try Build.sequence(try MediatorXML.roundTrip(xml), compiler: MediationCompiler(classMediators: registry))
    }

    private func call(
        _ sequence: CompiledSequence,
        from address: String = "192.0.2.7",
        method: String = "GET",
        headers: [(String, String)] = [("Host", "gw.example:8280"), ("accept", "*/*"), ("User-Agent", "curl/8.0")],
        body: String? = nil,
        logger: Logger? = nil
    ) throws -> MessageContext {
        var context = Build.context(method: method, path: "/service/x", headers: headers, body: body)
        context.clientAddress = address
        if let logger { context.logger = logger }
        var execution = SequenceExecution(sequence: sequence, program: .empty)
        _ = try execution.run(&context)
        return context
    }

    @Test func aCallIsRecordedWithWSO2sFieldsAndLoggedInWSO2sLine() throws {
        let sink = Collected()
        let recorder = LogRecorder()
        let context = try call(try sequence(sink: sink), logger: recorder.logger(level: .info))
        let access = try #require(sink.accesses.first)
        #expect(sink.accesses.count == 1)
        #expect(access.recordedTime == 1_700_000_000_000)
        #expect(access.messageID.hasPrefix("urn:uuid:"))
        #expect(access.method == "GET")
        // WSO2 prints its case-insensitive header map: sorted ignoring case, `Name=value`.
        #expect(access.headerSet == "[accept=*/*, Host=gw.example:8280, User-Agent=curl/8.0]")
        #expect(access.messageBody == #"<soapenv:Body xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"/>"#)
        #expect(access.clientIP == "192.0.2.7")
        #expect(context[property: "BOT_THROTTLED_OUT"] == nil)
        let line = try #require(recorder.entries.first)
        #expect(line.level == .info)
        #expect(
            line.message == "MessageId : \(access.messageID) | Request Method : GET | Message Body : "
                + access.messageBody + " | client Ip : 192.0.2.7 | Headers set : " + access.headerSet
        )
    }

    @Test(arguments: [
        ("application/json", #"{"name":"bot"}"#, "<jsonObject><name>bot</name></jsonObject>"),
        ("application/xml", "<probe>1</probe>", "<probe>1</probe>"),
        ("application/json", "{not json", nil),
        ("application/xml", "<open>", nil),
    ])
    func bodiesArePrintedAsWSO2PrintsItsSOAPBody(contentType: String, body: String, payload: String?) throws {
        let sink = Collected()
        _ = try call(try sequence(sink: sink), method: "POST", headers: [("Content-Type", contentType)], body: body)
        let recorded = try #require(sink.accesses.first?.messageBody)
        if let payload {
            #expect(recorded == #"<soapenv:Body xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope">"# + payload + "</soapenv:Body>")
        } else {
            #expect(recorded == "Malformed Message")
        }
    }

    @Test func aSOAPMessageKeepsItsEnvelopesVersion() throws {
        let sink = Collected()
        let envelope = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ping/></s:Body></s:Envelope>"#
        _ = try call(
            try sequence(sink: sink), method: "POST",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:ping")], body: envelope
        )
        #expect(sink.accesses.first?.messageBody == #"<soapenv:Body xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><ping/></soapenv:Body>"#)
    }

    @Test func credentialsAreMaskedAndRepeatedHeadersKeepTheirFirstValue() throws {
        let sink = Collected()
        _ = try call(
            try sequence(sink: sink),
            headers: [("Authorization", "Bearer secret"), ("X-Probe", "one"), ("x-probe", "two"), ("Cookie", "s=1")]
        )
        #expect(sink.accesses.first?.headerSet == "[Authorization=***, Cookie=***, X-Probe=one]")
    }

    @Test func longHeadersAndBodiesAreCutToTheBound() throws {
        let sink = Collected()
        let huge = String(repeating: "é", count: 10_000)
        _ = try call(
            try sequence(sink: sink), method: "POST",
            headers: [("Content-Type", "text/plain"), ("X-Huge", huge)], body: huge
        )
        let access = try #require(sink.accesses.first)
        for text in [access.headerSet, access.messageBody] {
            #expect(text.utf8.count <= BotAccess.maxTextBytes)
            #expect(text.hasSuffix(BotAccess.truncationMark))
        }
    }

    @Test func anAddressIsRecordedThreeTimesThenThrottledOutUntilQuietForAMinute() throws {
        let sink = Collected()
        let now = Mutex<Int64>(1_000_000)
        let registry = ClassMediatorRegistry.standard(clock: EpochClock { now.withLock { $0 } }, botAccesses: sink)
        let compiled = try Build.sequence(
            try MediatorXML.roundTrip(#"<class name="\#(Self.className)"/>"#),
            compiler: MediationCompiler(classMediators: registry)
        )
        for _ in 0..<3 { _ = try call(compiled) }
        let throttled = try call(compiled)
        #expect(sink.accesses.count == 3)
        #expect(throttled[property: "BOT_THROTTLED_OUT"]?.stringValue == "true")
        #expect(throttled[property: "BOT_IP"]?.stringValue == "192.0.2.7")
        // Another address has a count of its own.
        _ = try call(compiled, from: "198.51.100.1")
        #expect(sink.accesses.count == 4)
        // Still throttled 59 s after the last recorded call, counted again after 60 s.
        now.withLock { $0 += 59_000 }
        _ = try call(compiled)
        #expect(sink.accesses.count == 4)
        now.withLock { $0 += 1_000 }
        _ = try call(compiled)
        #expect(sink.accesses.count == 5)
    }

    @Test func throttleLimitIsItsSetter() throws {
        let sink = Collected()
        let compiled = try sequence(
            #"<class name="\#(Self.className)"><property name="throttleLimit" value="0"/></class>"#,
            sink: sink
        )
        for _ in 0..<3 { _ = try call(compiled) }
        #expect(sink.accesses.count == 1)
    }

    @Test(arguments: [
        (#"<property name="colour" value="red"/>"#, "Did not find a setter method named : setColour()"),
        (#"<property name="throttleLimit" value="-1"/>"#, "property 'throttleLimit' must have a 'value' that is a whole number"),
        (#"<property name="throttleLimit" expression="$ctx:n"/>"#, "property 'throttleLimit' must have a 'value'"),
    ])
    func aPropertyWSO2CannotSetFailsTheDeployment(property: String, reason: String) throws {
        let error = #expect(throws: MediationCompileError.self) {
            try sequence(#"<class name="\#(Self.className)">\#(property)</class>"#, sink: Collected())
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(reason), "\(String(describing: error))")
    }

    @Test func withoutASinkTheCallIsOnlyLogged() throws {
        let recorder = LogRecorder()
        let compiled = try Build.sequence(try MediatorXML.roundTrip(#"<class name="\#(Self.className)"/>"#))
        var context = Build.context(path: "/service")
        context.logger = recorder.logger(level: .info)
        var execution = SequenceExecution(sequence: compiled, program: .empty)
        _ = try execution.run(&context)
        #expect(recorder.entries.first?.message.hasPrefix("MessageId : urn:uuid:") == true)
    }

    @Test func aFullAddressTableThrottlesNewAddressesUntilEntriesExpire() {
        let throttle = BotAccessThrottle(capacity: 2, window: 60_000)
        #expect(throttle.admits("a", limit: 2, now: 0))
        #expect(throttle.admits("b", limit: 2, now: 0))
        #expect(!throttle.admits("c", limit: 2, now: 10))
        #expect(throttle.refusedCount == 1)
        #expect(throttle.admits("a", limit: 2, now: 20))
        #expect(throttle.admits("c", limit: 2, now: 60_001))
        #expect(throttle.trackedCount <= 2)
    }

    @Test func webhooksDeliveryStatusUpdaterIsRefusedByDesign() throws {
        let xml = #"<class name="org.wso2.carbon.apimgt.gateway.mediators.webhooks.DeliveryStatusUpdater"/>"#
        let error = #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(xml))
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("refused by design"), "\(text)")
        #expect(text.contains("WebSub or webhook APIs"), "\(text)")
    }
}
