import SluiceModel
import SluiceSynapse
import Testing

@Suite struct SynapseDiagnosticTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var xml: String
        var message: String
        var line: Int
        var column: Int = 1

        var testDescription: String { name }
    }

    static let api = #"<api xmlns="http://ws.apache.org/ns/synapse" name="A" context="/a">"#

    static let cases: [Case] = [
        Case(
            name: "malformed XML",
            xml: "\(api)\n<resource methods=\"GET\">\n</api>\n",
            message: "Opening and ending tag mismatch: resource line 2 and api",
            line: 3,
            column: 7
        ),
        Case(
            name: "missing name",
            xml: """
                <api xmlns="http://ws.apache.org/ns/synapse" context="/a">
                    <resource url-mapping="/x"/>
                </api>
                """,
            message: "missing required attribute 'name' on <api>",
            line: 1
        ),
        Case(
            name: "missing context",
            xml: """
                <?xml version="1.0"?>
                <api xmlns="http://ws.apache.org/ns/synapse"
                     name="A">
                    <resource url-mapping="/x"/>
                </api>
                """,
            message: "missing required attribute 'context' on <api>",
            line: 2
        ),
        Case(
            name: "unknown element",
            xml: "\(api)\n    <resource url-mapping=\"/x\"/>\n    <resources/>\n</api>",
            message: "unknown element '<resources>' in <api>",
            line: 3,
            column: 5
        ),
        Case(
            name: "unknown mediator",
            xml:
                "\(api)\n<resource url-mapping=\"/x\">\n<inSequence>\n<log/>\n<sendd/>\n</inSequence>\n</resource>\n</api>",
            message: "unknown mediator 'sendd'",
            line: 5
        ),
        Case(
            name: "bad uri-template",
            xml: "\(api)\n\n<resource uri-template=\"/orders/{id\"/>\n</api>",
            message: "invalid uri-template '/orders/{id' at offset 8: unclosed '{'",
            line: 3
        ),
        Case(
            name: "bad url-mapping",
            xml: "\(api)\n<resource url-mapping=\"menu\"/>\n</api>",
            message: "invalid url-mapping 'menu': must start with '/' (or be '*.ext'); it could never match",
            line: 2
        ),
        Case(
            name: "duplicate resource",
            xml:
                "\(api)\n<resource methods=\"GET POST\" url-mapping=\"/menu\"/>\n<resource methods=\"POST GET\" url-mapping=\"/menu\"/>\n</api>",
            message: "duplicate resource: POST GET /menu (first declared at line 2)",
            line: 3
        ),
        Case(
            name: "version without version-type",
            xml: """
                <api xmlns="http://ws.apache.org/ns/synapse" name="A" context="/a" version="1.0.0">
                    <resource url-mapping="/x"/>
                </api>
                """,
            message: "attribute 'version' requires a 'version-type' attribute (url or context)",
            line: 1
        ),
        Case(
            name: "bad version-type",
            xml: """
                <api xmlns="http://ws.apache.org/ns/synapse" name="A" context="/a" version="1" version-type="path">
                    <resource url-mapping="/x"/>
                </api>
                """,
            message: "invalid version-type 'path' on <api>: expected one of url, context",
            line: 1
        ),
        Case(
            name: "bad transports",
            xml: """
                <api xmlns="http://ws.apache.org/ns/synapse" name="A" context="/a" transports="http,jms">
                    <resource url-mapping="/x"/>
                </api>
                """,
            message: "invalid protocol name 'jms' in transports: expected http or https",
            line: 1
        ),
        Case(
            name: "api without resources",
            xml: "\(api)\n</api>",
            message: "<api> 'A' has no <resource>",
            line: 1
        ),
        Case(
            name: "property without value",
            xml: """
                <sequence xmlns="http://ws.apache.org/ns/synapse" name="s">
                    <property name="p" scope="axis2"/>
                </sequence>
                """,
            message: "<property> 'p' needs a 'value' or an 'expression' attribute",
            line: 2,
            column: 5
        ),
        Case(
            name: "bad expression",
            xml: """
                <sequence xmlns="http://ws.apache.org/ns/synapse" name="s">
                    <log/>
                    <property name="p" expression="get-property('a'"/>
                </sequence>
                """,
            message:
                "invalid expression 'get-property('a'': unbalanced parentheses in attribute 'expression' of <property>",
            line: 3,
            column: 5
        ),
        Case(
            name: "DOCTYPE",
            xml: "<?xml version=\"1.0\"?>\n<!DOCTYPE api [<!ENTITY a \"aaaa\">]>\n\(api)<resource/></api>",
            message: "DOCTYPE is not allowed",
            line: 2
        ),
        Case(
            name: "wrong namespace",
            xml: #"<api name="A" context="/a"><resource/></api>"#,
            message: "<api> must be in the Synapse namespace 'http://ws.apache.org/ns/synapse' (found no namespace)",
            line: 1
        ),
        Case(
            name: "unknown root",
            xml: #"<service xmlns="http://ws.apache.org/ns/synapse" name="p"/>"#,
            message: "unknown element '<service>': expected <api>, <sequence>, <endpoint>, <localEntry>, <template> or <definitions>",
            line: 1
        ),
        Case(
            name: "missing endpoint uri",
            xml: """
                <endpoint xmlns="http://ws.apache.org/ns/synapse" name="e">
                    <address/>
                </endpoint>
                """,
            message: "missing required attribute 'uri' on <address>",
            line: 2,
            column: 5
        ),
        Case(
            name: "unknown HTTP method",
            xml: "\(api)\n<resource methods=\"GET FETCH\"/>\n</api>",
            message: "unknown HTTP method 'FETCH' in 'methods' of <resource>",
            line: 2
        ),
        Case(
            name: "empty document",
            xml: "",
            message: "Document is empty",
            line: 1
        ),
    ]

    @Test(arguments: cases)
    func reportsMessageAndPlace(testCase: Case) {
        do {
            let artifacts = try SynapseParser().parse(xml: testCase.xml, fileName: "case.xml")
            Issue.record("expected a diagnostic, parsed \(artifacts)")
        } catch {
            let first = error.diagnostics.first
            #expect(first?.message == testCase.message)
            #expect(first?.location.file == "case.xml")
            #expect(first?.location.line == testCase.line)
            #expect(first?.location.column == testCase.column)
            #expect(first?.description == "case.xml:\(testCase.line):\(testCase.column): \(testCase.message)")
        }
    }

    @Test func collectsEveryProblemOfAFile() {
        let xml = """
            <api xmlns="http://ws.apache.org/ns/synapse" context="/a">
                <resource uri-template="x"/>
                <resource methods="GET"><inSequence><nope/></inSequence></resource>
            </api>
            """
        #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parse(xml: xml, fileName: "f.xml") }
        do {
            _ = try SynapseParser().parse(xml: xml, fileName: "f.xml")
        } catch {
            #expect(error.diagnostics.map(\.location.line) == [1, 2, 3])
            #expect(error.diagnostics.map(\.message)[2] == "unknown mediator 'nope'")
        }
    }
}

/// `version-type` without `version` deploys, as WSO2's VersionStrategyFactory checks only the converse.
@Suite struct VersionTypeWithoutVersionTests {
    @Test func aVersionTypeAloneDeploysWithThePlainContext() throws {
        let artifacts = try SynapseParser().parse(
            xml: """
                <api xmlns="http://ws.apache.org/ns/synapse" name="testApi" context="/testApi" version-type="context">
                  <resource methods="GET" url-mapping="/x"><inSequence><respond/></inSequence></resource>
                </api>
                """,
            fileName: "testApi.xml"
        )
        let api = try #require(artifacts.apis.first)
        #expect(api.version == nil && api.versionType == .context)
        #expect(api.effectiveContext == "/testApi")
    }
}
