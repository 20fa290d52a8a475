import Logging
import SluiceMediation
import SluiceModel
import SluiceTesting
import Testing

/// `<class name=>` naming Synapse's own `LogMediator`: Synapse builds it with its no-argument constructor and
/// sets the properties through its setters, so it logs as `<log>` with those settings.
@Suite struct SynapseBuiltInClassTests {
    static let logClass = "org.apache.synapse.mediators.builtin.LogMediator"

    private func logged(_ mediators: String, contentType: String, body: String) throws -> [LogRecorder.Entry] {
        let recorder = LogRecorder()
        var context = Build.context(method: "POST", path: "/q", headers: [("Content-Type", contentType)], body: body)
        context.logger = recorder.logger(level: .trace)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
        #expect(context.body.string == body)
        return recorder.entries
    }

    @Test(arguments: [("application/json", #"{"id":7}"#), ("application/xml", "<id>7</id>")])
    func theLogMediatorClassLogsWithItsDefaultsAsLogDoes(contentType: String, body: String) throws {
        let entries = try logged(#"<class name="\#(Self.logClass)"/><log/>"#, contentType: contentType, body: body)
        #expect(entries.count == 2)
        #expect(entries.map(\.level) == [.info, .info])
        #expect(entries.first?.message == entries.last?.message)
        #expect(entries.first?.message.hasPrefix("To: /q, MessageID: urn:uuid:") == true)
    }

    @Test(arguments: [("application/json", #"{"id":7}"#), ("application/xml", "<id>7</id>")])
    func itsSettersSetLevelCategoryAndSeparator(contentType: String, body: String) throws {
        let entries = try logged(
            #"<class name="\#(Self.logClass)"><property name="logLevel" value="3"/>"#
                + #"<property name="category" value="3"/><property name="separator" value=" | "/></class>"#,
            contentType: contentType,
            body: body
        )
        let entry = try #require(entries.first)
        #expect(entry.level == .warning)
        #expect(entry.message.contains(" | Direction: request | Envelope: "), "\(entry.message)")
        #expect(entry.message.contains("7"), "\(entry.message)")
    }

    @Test(arguments: [
        (#"<property name="colour" value="red"/>"#, "Did not find a setter method named : setColour()"),
        (#"<property name="logLevel" value="7"/>"#, "property 'logLevel' must be a number from 0 to 3, not '7'"),
        (#"<property name="category" expression="$ctx:c"/>"#, "property 'category' must have a 'value'"),
    ])
    func aPropertySynapseCannotSetFailsTheDeployment(property: String, reason: String) throws {
        let error = #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(#"<class name="\#(Self.logClass)">\#(property)</class>"#))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(reason), "\(String(describing: error))")
    }

    @Test func otherSynapseClassesStayUnknown() throws {
        let error = #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(#"<class name="org.apache.synapse.mediators.transform.XSLTMediator"/>"#))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("unknown class mediator"))
    }
}
