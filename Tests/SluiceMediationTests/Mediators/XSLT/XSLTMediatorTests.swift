import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<xslt>` and `<fastXSLT>` against Synapse's XSLTMediator, with stylesheets from local entries (libxslt).
@Suite struct XSLTMediatorTests {
    /// The stylesheets live in local entries, inside the Synapse namespace: `xmlns=""` keeps their literal result
    /// elements out of it (without it they are in the Synapse namespace, as in Synapse).
    static let xsl = #"xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns="""#

    /// Renames `<order>` to `<purchase>`, copies `id`, and adds the `channel` parameter.
    static let renameOrder = """
        <xsl:stylesheet version="1.0" \(xsl)>
          <xsl:param name="channel" select="'none'"/>
          <xsl:template match="/order">
            <purchase channel="{$channel}"><ref><xsl:value-of select="id"/></ref></purchase>
          </xsl:template>
        </xsl:stylesheet>
        """

    static let jsonToGreeting = """
        <xsl:stylesheet version="1.0" \(xsl)>
          <xsl:template match="/jsonObject">
            <jsonObject><greeting><xsl:value-of select="concat('hello ', name)"/></greeting></jsonObject>
          </xsl:template>
        </xsl:stylesheet>
        """

    static let asText = """
        <xsl:stylesheet version="1.0" \(xsl)>
          <xsl:output method="text"/>
          <xsl:template match="/"><xsl:value-of select="concat('id=', //id)"/></xsl:template>
        </xsl:stylesheet>
        """

    static func program(_ entries: [String: String]) throws -> MediationProgram {
        try Build.program(localEntries: entries)
    }

    static func message(_ body: String, contentType: String = "application/xml") -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
    }

    @Test func everyFormRoundTrips() throws {
        let forms = [
            #"<xslt key="a"/>"#,
            #"<xslt xmlns:o="urn:o" key="a" source="//o:order" target="result" useCache="false">"#
                + #"<property name="p1" value="v"/><property name="p2" expression="$ctx:x"/>"#
                + #"<feature name="http://ws.apache.org/ns/synapse/transform/feature/dom" value="true"/>"#
                + #"<attribute name="urn:a" value="b"/><resource location="common.xsl" key="common"/></xslt>"#,
        ]
        for form in forms {
            #expect(try MediatorXML.roundTrip(form).first?.as(XSLTMediator.self) != nil, "\(form)")
        }
        #expect(try MediatorXML.roundTrip(#"<fastXSLT key="a"/>"#).first?.as(FastXSLTMediator.self)?.key == "a")
    }

    @Test(arguments: [
        (#"<xslt/>"#, "missing required attribute 'key'"),
        (#"<xslt key="a"><feature name="f" value="yes"/></xslt>"#, "must have value true or false"),
        (#"<xslt key="a"><property name="p"/></xslt>"#, "needs a 'value' or an 'expression'"),
        (#"<xslt key="a" source="//["/>"#, "source"),
        (#"<xslt key="a"><other/></xslt>"#, "other"),
        (#"<fastXSLT/>"#, "missing required attribute 'key'"),
    ])
    func badConfigurationsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func transformsThePayloadRootWithParameters() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        let mediators = try MediatorXML.roundTrip(
            #"<property name="chan" value="web"/><xslt key="rename"><property name="channel" expression="$ctx:chan"/></xslt>"#
        )
        var context = Self.message("<order><id>7</id></order>")
        try Build.run(mediators, on: &context, program: program)
        #expect(context.body.string == #"<purchase channel="web"><ref>7</ref></purchase>"#)
        #expect(context.headers.first(name: "Content-Type") == "application/xml")

        var fast = Self.message("<order><id>8</id></order>")
        try Build.run(try MediatorXML.roundTrip(#"<fastXSLT key="rename"/>"#), on: &fast, program: program)
        #expect(fast.body.string == #"<purchase channel="none"><ref>8</ref></purchase>"#)
    }

    @Test func theSOAPEnvelopeStaysAroundTheTransformedPayload() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        var context = Self.message(
            #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><order><id>1</id></order></s:Body></s:Envelope>"#,
            contentType: "text/xml"
        )
        try Build.run(try MediatorXML.roundTrip(#"<xslt key="rename"/>"#), on: &context, program: program)
        let body = try #require(context.body.string)
        #expect(body.contains(#"<s:Body><purchase channel="none"><ref>1</ref></purchase></s:Body>"#), "\(body)")
        #expect(context.headers.first(name: "Content-Type") == "text/xml")
    }

    @Test func sourceSelectsTheElementThatIsReplaced() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        var context = Self.message("<batch><order><id>3</id></order><note>n</note></batch>")
        try Build.run(try MediatorXML.roundTrip(#"<xslt key="rename" source="//order"/>"#), on: &context, program: program)
        #expect(context.body.string == #"<batch><purchase channel="none"><ref>3</ref></purchase><note>n</note></batch>"#)
    }

    @Test func jsonMessagesAreTransformedAsSynapsesXMLAndWrittenAsJSON() throws {
        let program = try Self.program(["greet": Self.jsonToGreeting])
        var context = Self.message(#"{"name":"ann"}"#, contentType: "application/json")
        try Build.run(try MediatorXML.roundTrip(#"<xslt key="greet"/>"#), on: &context, program: program)
        #expect(context.body.string?.hasPrefix("<jsonObject><greeting>hello ann</greeting>") == true)
        try context.applyMessageType()
        #expect(context.body.string == #"{"greeting":"hello ann"}"#)
        #expect(context.headers.first(name: "Content-Type") == "application/json")
    }

    @Test func textOutputIsWrappedAsSynapseDoes() throws {
        let program = try Self.program(["text": Self.asText])
        var context = Self.message("<order><id>5</id></order>")
        try Build.run(
            try MediatorXML.roundTrip(#"<xslt key="text"/><property name="messageType" value="text/plain" scope="axis2"/>"#),
            on: &context,
            program: program
        )
        #expect(context.body.string == #"<ax:text xmlns:ax="http://ws.apache.org/commons/ns/payload">id=5</ax:text>"#)
        try context.applyMessageType()
        #expect(context.body.string == "id=5")
    }

    @Test func targetPutsTheResultInAPropertyAndLeavesTheMessage() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        var context = Self.message("<order><id>4</id></order>")
        try Build.run(try MediatorXML.roundTrip(#"<xslt key="rename" target="converted"/>"#), on: &context, program: program)
        #expect(context.body.string == "<order><id>4</id></order>")
        #expect(context[property: "converted"] == .xml(#"<purchase channel="none"><ref>4</ref></purchase>"#))
    }

    @Test func anEmptyBodyIsLeftAloneAndAMissingSourceIsAFault() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        var empty = Build.context(method: "POST", body: "")
        try Build.run(try MediatorXML.roundTrip(#"<xslt key="rename"/>"#), on: &empty, program: program)
        #expect(empty.body.string == "")

        var context = Self.message("<order/>")
        do {
            try Build.run(try MediatorXML.roundTrip(#"<xslt key="rename" source="//nothing"/>"#), on: &context, program: program)
            Issue.record("no fault")
        } catch let fault as MediationFault {
            #expect(fault.message.hasPrefix("Unable to perform XSLT transformation using : rename against source XPath : //nothing"))
        }
    }

    @Test(arguments: [
        ("notXML", "&lt;xsl:stylesheet", "line 1"),
        ("unknownInstruction", """
            <xsl:stylesheet version="1.0" \(xsl)>
              <xsl:template match="/">
                <xsl:value-of/>
              </xsl:template>
            </xsl:stylesheet>
            """, "line 3"),
        ("badXPath", """
            <xsl:stylesheet version="1.0" \(xsl)>
              <xsl:template match="/"><xsl:value-of select="(("/></xsl:template>
            </xsl:stylesheet>
            """, "line 2"),
        ("notAStylesheet", "<order/>", "stylesheet"),
        ("imports", """
            <xsl:stylesheet version="1.0" \(xsl)><xsl:import href="/etc/common.xsl"/></xsl:stylesheet>
            """, "stylesheet"),
    ])
    func brokenStylesheetsFailTheDeploymentWithTheLine(key: String, stylesheet: String, problem: String) throws {
        let program = try Self.program([key: stylesheet])
        do {
            _ = try Build.sequence(try MediatorXML.roundTrip(#"<xslt key="\#(key)"/>"#), program: program)
            Issue.record("stylesheet '\(key)' compiled")
        } catch {
            #expect("\(error)".contains("xslt stylesheet '\(key)'"), "\(error)")
            #expect("\(error)".contains(problem), "\(error)")
        }
    }

    @Test func resourcesAreRefusedAtDeployTime() throws {
        let program = try Self.program(["rename": Self.renameOrder])
        #expect(throws: MediationCompileError.self) {
            try Build.sequence(
                try MediatorXML.roundTrip(#"<xslt key="rename"><resource location="a.xsl" key="rename"/></xslt>"#),
                program: program
            )
        }
    }

    /// `key="{expression}"` names the stylesheet's local entry per message (a registry path is a local entry's key).
    @Test func aDynamicKeyNamesTheStylesheetPerMessage() throws {
        let program = try Self.program([
            "rename": Self.renameOrder, "conf:/xslt/greeting.xsl": Self.jsonToGreeting, "plain": "just text",
        ])
        let mediators = try MediatorXML.roundTrip(#"<xslt key="{get-property('which')}"/>"#)
        var xml = Self.message("<order><id>7</id></order>")
        xml[property: "which"] = "rename"
        try Build.run(mediators, on: &xml, program: program)
        #expect(xml.body.string == #"<purchase channel="none"><ref>7</ref></purchase>"#)

        var json = Self.message(#"{"name":"ann"}"#, contentType: "application/json")
        json[property: "which"] = "conf:/xslt/greeting.xsl"
        try Build.run(mediators, on: &json, program: program)
        try json.applyMessageType()
        #expect(json.body.string == #"{"greeting":"hello ann"}"#)

        // fastXSLT takes the same keys.
        var fast = Self.message("<order><id>8</id></order>")
        fast[property: "which"] = "rename"
        try Build.run(try MediatorXML.roundTrip(#"<fastXSLT key="{$ctx:which}"/>"#), on: &fast, program: program)
        #expect(fast.body.string == #"<purchase channel="none"><ref>8</ref></purchase>"#)
    }

    @Test(arguments: [("missing", "names no local entry"), ("plain", "names no XSLT stylesheet"), ("", "names no local entry")])
    func aDynamicKeyNamingNoStylesheetIsAFault(name: String, reason: String) throws {
        let program = try Self.program(["rename": Self.renameOrder, "plain": "just text"])
        var context = Self.message("<order><id>1</id></order>")
        context[property: "which"] = .string(name)
        let error = #expect(throws: MediationFault.self) {
            try Build.run(try MediatorXML.roundTrip(#"<xslt key="{$ctx:which}"/>"#), on: &context, program: program)
        }
        #expect(error?.message.contains("the key {$ctx:which} gave '\(name)', which \(reason)") == true, "\(String(describing: error))")
        #expect(context.body.string == "<order><id>1</id></order>")
    }

    /// Stylesheets that try to read files, reach the network, or run away: each is stopped and is a fault, and the
    /// message is untouched.
    @Test(arguments: [
        ("readsAFile", #"<xsl:template match="/"><r><xsl:copy-of select="document('/etc/passwd')"/></r></xsl:template>"#,
            "Local file read for /etc/passwd refused"),
        ("readsTheNetwork", #"<xsl:template match="/"><r><xsl:copy-of select="document('http://127.0.0.1:1/x.xml')"/></r></xsl:template>"#,
            "Network file read for http://127.0.0.1:1/x.xml refused"),
        ("recursesForever", #"<xsl:template match="/"><xsl:call-template name="loop"/></xsl:template><xsl:template name="loop"><a><xsl:call-template name="loop"/></a></xsl:template>"#,
            "infinite template recursion"),
        ("runsExponentially", """
            <xsl:template match="/"><xsl:call-template name="f"><xsl:with-param name="n" select="60"/></xsl:call-template></xsl:template>
            <xsl:template name="f"><xsl:param name="n"/><xsl:if test="$n &gt; 0">\
            <xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>\
            <xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template></xsl:if></xsl:template>
            """, "Operation limit exceeded"),
    ])
    func maliciousStylesheetsAreStopped(name: String, templates: String, reason: String) throws {
        let program = try Self.program([name: #"<xsl:stylesheet version="1.0" \#(Self.xsl)>\#(templates)</xsl:stylesheet>"#])
        let mediators = try MediatorXML.roundTrip(#"<xslt key="\#(name)"/>"#)
        var context = Self.message("<order><id>1</id></order>")
        do {
            try Build.run(mediators, on: &context, program: program)
            Issue.record("'\(name)' ran: \(context.body.string ?? "")")
        } catch let fault as MediationFault {
            #expect(fault.message.hasPrefix("Unable to perform XSLT transformation using : \(name)"), "\(fault)")
            #expect(fault.message.contains(reason), "\(fault)")
        }
        #expect(context.body.string == "<order><id>1</id></order>")
    }
}
