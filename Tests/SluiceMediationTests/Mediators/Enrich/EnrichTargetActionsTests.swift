import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Enrich's remove action, key target, child targets and keyed inline sources, against WSO2's Synapse.
@Suite struct EnrichTargetActionsTests {
    static func json(_ body: String) -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
    }

    static func enrich(_ source: String, _ target: String) -> String {
        "<enrich>" + source + target + "</enrich>"
    }

    @Test func everyFormRoundTrips() throws {
        let forms = [
            Self.enrich(#"<source xpath="json-eval($.a,$.b.c)"/>"#, #"<target type="body" action="remove"/>"#),
            Self.enrich(#"<source xpath="json-eval($..secret)"/>"#, #"<target type="property" property="p" action="remove"/>"#),
            Self.enrich(#"<source type="inline">fullName</source>"#, #"<target type="key" xpath="json-eval($.user.name)"/>"#),
            Self.enrich(#"<source type="inline" key="template"/>"#, #"<target type="body"/>"#),
            Self.enrich(#"<source type="body"/>"#, #"<target type="property" property="list" action="child"/>"#),
            Self.enrich(#"<source type="inline"><b>1</b></source>"#, #"<target type="body" action="child"/>"#),
        ]
        for form in forms {
            let read = try MediatorXML.roundTrip(form)
            #expect(read.first?.as(EnrichMediator.self) != nil, "\(form)")
        }
    }

    /// The combinations Synapse's EnrichMediatorFactory refuses are refused while reading (so `sluice validate`
    /// says so too).
    @Test(arguments: [
        (#"<source type="envelope"/>"#, #"<target type="body"/>"#, "a envelope source cannot enrich a body target"),
        (#"<source type="body"/>"#, #"<target type="envelope"/>"#, "a body source cannot enrich a envelope target"),
        (#"<source xpath="//a"/>"#, #"<target type="envelope"/>"#, "cannot enrich a envelope target"),
        (#"<source type="body"/>"#, #"<target type="key" xpath="json-eval($.a)"/>"#, "cannot enrich a key target"),
        (#"<source type="body"/>"#, #"<target type="envelope" action="child"/>"#, "cannot enrich"),
        (#"<source xpath="json-eval($.a)"/>"#, #"<target type="property" property="p" action="child"/>"#, ""),
        (#"<source type="inline">x</source>"#, #"<target type="key" xpath="json-eval($.a)" action="child"/>"#, "only action=\"replace\""),
        (#"<source type="body"/>"#, #"<target type="body" action="remove"/>"#, "cannot enrich"),
        (#"<source type="property" property="p"/>"#, #"<target type="body" action="remove"/>"#, "needs a custom source"),
        (#"<source xpath="//a"/>"#, #"<target type="body" action="remove"/>"#, "needs a json-eval source"),
        (#"<source xpath="json-eval($.a)"/>"#, #"<target action="remove" xpath="json-eval($.a)"/>"#, "needs a body or property target"),
        (#"<source type="inline">1</source>"#, #"<target xpath="json-eval($)"/>"#, "cannot replace the JSON root"),
        (#"<source type="inline">1</source>"#, #"<target type="key"/>"#, "of type key needs an 'xpath'"),
        (#"<source type="inline">1</source>"#, #"<target type="body" action="drop"/>"#, "action"),
    ])
    func badCombinationsAreReported(source: String, target: String, problem: String) {
        let problems = MediatorXML.problems(Self.enrich(source, target))
        if problem.isEmpty {
            #expect(problems.isEmpty, "\(problems)")
        } else {
            #expect(problems.contains { $0.contains(problem) }, "\(problems)")
        }
    }

    // MARK: - remove

    @Test(arguments: [
        ("$.a,$.b.c", #"{"b":{"d":2},"items":[{"id":1,"secret":"x"},{"id":2,"secret":"y"}]}"#),
        ("$.items[*].secret", #"{"a":1,"b":{"c":1,"d":2},"items":[{"id":1},{"id":2}]}"#),
        ("$..secret", #"{"a":1,"b":{"c":1,"d":2},"items":[{"id":1},{"id":2}]}"#),
        ("$.items[0]", #"{"a":1,"b":{"c":1,"d":2},"items":[{"id":2,"secret":"y"}]}"#),
        ("$.items[-1].id,$.b", #"{"a":1,"items":[{"id":1,"secret":"x"},{"secret":"y"}]}"#),
        ("$.items[*].missing", #"{"a":1,"b":{"c":1,"d":2},"items":[{"id":1,"secret":"x"},{"id":2,"secret":"y"}]}"#),
        ("$", ""),
    ])
    func removeDeletesEveryMatchFromTheJSONBody(paths: String, expected: String) throws {
        var context = Self.json(#"{"a":1,"b":{"c":1,"d":2},"items":[{"id":1,"secret":"x"},{"id":2,"secret":"y"}]}"#)
        try Build.run(
            try MediatorXML.roundTrip(
                Self.enrich(#"<source xpath="json-eval(\#(paths))"/>"#, #"<target type="body" action="remove"/>"#)
            ),
            on: &context
        )
        #expect(context.body.string == expected)
    }

    @Test func removeOfADefinitePathThatIsNotThereIsAFault() throws {
        var context = Self.json(#"{"a":1}"#)
        let mediators = try MediatorXML.roundTrip(
            Self.enrich(#"<source xpath="json-eval($.b.c)"/>"#, #"<target type="body" action="remove"/>"#)
        )
        #expect(throws: MediationFault.self) { try Build.run(mediators, on: &context) }
        var xml = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a/>")
        #expect(throws: MediationFault.self) { try Build.run(mediators, on: &xml) }
        #expect(xml.body.string == "<a/>")
    }

    @Test func removeFromAJSONProperty() throws {
        var context = Self.json(#"{"user":{"name":"ann","password":"p"}}"#)
        try Build.run(
            try MediatorXML.roundTrip(
                #"<property name="user" expression="json-eval($.user)"/>"#
                    + Self.enrich(#"<source xpath="json-eval($.password)"/>"#, #"<target type="property" property="user" action="remove"/>"#)
            ),
            on: &context
        )
        #expect(context[property: "user"]?.stringValue == #"{"name":"ann"}"#)
        #expect(context.body.string == #"{"user":{"name":"ann","password":"p"}}"#)
    }

    // MARK: - key

    @Test func keyTargetRenamesTheMemberWhereverThePathLeads() throws {
        var context = Self.json(#"{"user":{"name":"ann","age":3},"users":[{"name":"a"},{"name":"b"}]}"#)
        context[property: "newName"] = "login"
        try Build.run(
            try MediatorXML.roundTrip(
                Self.enrich(#"<source type="inline">fullName</source>"#, #"<target type="key" xpath="json-eval($.user.name)"/>"#)
                    + Self.enrich(#"<source xpath="$ctx:newName"/>"#, #"<target type="key" xpath="json-eval($.users[*].name)"/>"#)
            ),
            on: &context
        )
        // The renamed member goes last, as JSONPath's renameKey puts it.
        #expect(context.body.string == #"{"user":{"age":3,"fullName":"ann"},"users":[{"login":"a"},{"login":"b"}]}"#)
        let missing = try MediatorXML.roundTrip(
            Self.enrich(#"<source type="inline">x</source>"#, #"<target type="key" xpath="json-eval($.user.nothing)"/>"#)
        )
        #expect(throws: MediationFault.self) { try Build.run(missing, on: &context) }
    }

    // MARK: - child targets and keyed sources

    @Test func childActionAppendsToPropertiesAndTheXMLBody() throws {
        var context = Self.json(#"{"id":7}"#)
        try Build.run(
            try MediatorXML.roundTrip(
                Self.enrich(#"<source type="inline">[]</source>"#, #"<target type="property" property="list"/>"#)
                    + Self.enrich(#"<source type="body"/>"#, #"<target type="property" property="list" action="child"/>"#)
                    + Self.enrich(#"<source type="inline">"two"</source>"#, #"<target type="property" property="list" action="child"/>"#)
                    + Self.enrich(#"<source type="inline"><order xmlns=""/></source>"#, #"<target type="property" property="xml"/>"#)
                    + Self.enrich(#"<source type="inline"><line xmlns="">1</line></source>"#, #"<target type="property" property="xml" action="child"/>"#)
            ),
            on: &context
        )
        #expect(context[property: "list"]?.stringValue == #"[{"id":7},"two"]"#)
        // Inline elements written with xmlns="" keep that declaration: they are in no namespace, not Synapse's.
        #expect(context[property: "xml"]?.stringValue == #"<order xmlns=""><line xmlns="">1</line></order>"#)

        var xml = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>1</id></order>")
        try Build.run(
            try MediatorXML.roundTrip(Self.enrich(#"<source type="inline"><state xmlns="">new</state></source>"#, #"<target type="body" action="child"/>"#)),
            on: &xml
        )
        #expect(xml.body.string == #"<order><id>1</id><state xmlns="">new</state></order>"#)

        var text = Self.json("{}")
        text[property: "plain"] = "words"
        let notAList = try MediatorXML.roundTrip(
            Self.enrich(#"<source type="inline">1</source>"#, #"<target type="property" property="plain" action="child"/>"#)
        )
        #expect(throws: MediationFault.self) { try Build.run(notAList, on: &text) }
    }

    @Test func inlineSourceFromALocalEntry() throws {
        let program = try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: """
                    <definitions xmlns="http://ws.apache.org/ns/synapse">
                        <localEntry key="greeting">{"hello":"world"}</localEntry>
                    </definitions>
                    """,
                fileName: "entries.xml"
            )
        )
        var context = Self.json(#"{"a":1}"#)
        try Build.run(
            try MediatorXML.roundTrip(Self.enrich(#"<source type="inline" key="greeting"/>"#, #"<target type="body"/>"#)),
            on: &context,
            program: program
        )
        #expect(context.body.string == #"{"hello":"world"}"#)
        // A key nothing deployed defines deploys (a warning) and faults when the enrich runs.
        #expect(throws: MediationFault.entryNotFound("nowhere")) {
            try Build.run(
                try MediatorXML.roundTrip(Self.enrich(#"<source type="inline" key="nowhere"/>"#, #"<target type="body"/>"#)),
                on: &context,
                program: program
            )
        }
    }
}
