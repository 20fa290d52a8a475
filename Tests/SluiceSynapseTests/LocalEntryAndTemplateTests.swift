import Foundation
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

@Suite struct LocalEntryAndTemplateTests {
    private func roundTrip(_ xml: String, fileName: String = "t.xml") throws -> SynapseArtifacts {
        let parser = SynapseParser()
        let first = try parser.parse(xml: xml, fileName: fileName)
        let written = SynapseSerializer.xml(for: first)
        let second = try parser.parse(xml: written, fileName: fileName)
        #expect(second == first, "\(written)")
        #expect(SynapseSerializer.xml(for: second) == written)
        return first
    }

    private func problems(_ xml: String) -> [String] {
        do {
            _ = try SynapseParser().parse(xml: xml, fileName: "t.xml")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test func localEntriesOfEveryKindRoundTrip() throws {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <localEntry key="greeting">  hello &amp; welcome  </localEntry>
                <localEntry key="format"><description>order format</description><o:order xmlns:o="urn:o"><o:id>$1</o:id></o:order></localEntry>
                <localEntry key="stamp"><sequence><header name="X-Stamp" value="1" scope="transport"/></sequence></localEntry>
                <localEntry key="backend"><endpoint><address uri="http://localhost:9000/x"/></endpoint></localEntry>
            </definitions>
            """
        let entries = try roundTrip(xml).localEntries
        #expect(entries.map(\.key) == ["greeting", "format", "stamp", "backend"])
        #expect(entries[0].content == .text("hello & welcome"))
        #expect(entries[1].content == .xml(#"<o:order xmlns:o="urn:o"><o:id>$1</o:id></o:order>"#))
        #expect(entries[1].description == "order format")
        guard case .sequence(let sequence) = entries[2].content else {
            Issue.record("expected a sequence entry")
            return
        }
        #expect(sequence.name == "stamp")
        guard case .endpoint(let endpoint) = entries[3].content, case .address = endpoint.kind else {
            Issue.record("expected an endpoint entry")
            return
        }
    }

    @Test func aLoneLocalEntryIsItsOwnDocument() throws {
        let entry = try roundTrip(#"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="k">v</localEntry>"#)
        #expect(entry.localEntries == [LocalEntry(key: "k", content: .text("v"))])
    }

    @Test func sourceFilesAreReadRelativeToTheArtifact() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-le-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #"{"type":"object"}"#.write(toFile: folder + "/schema.json", atomically: true, encoding: .utf8)
        try "<s:schema xmlns:s=\"urn:s\"/>".write(toFile: folder + "/schema.xsd", atomically: true, encoding: .utf8)
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <localEntry key="json" src="file:schema.json"/>
                <localEntry key="xsd" src="file://\(folder)/schema.xsd"/>
            </definitions>
            """
        let entries = try roundTrip(xml, fileName: folder + "/entries.xml").localEntries
        #expect(entries.map(\.content) == [.text(#"{"type":"object"}"#), .xml(#"<s:schema xmlns:s="urn:s"/>"#)])
        #expect(entries.first?.source == "file:schema.json")
    }

    /// Answers from a table, as the deployer's store does once its fetches ended; any other URL is still pending.
    private struct FetchedDocuments: NetworkSources {
        let answers: [String: NetworkDocument]

        func document(at url: String, for file: String) -> NetworkDocument { answers[url] ?? .pending }
    }

    @Test func networkSourcesAreTheDocumentsTheDeployerFetched() throws {
        let parser = SynapseParser(
            networkSources: FetchedDocuments(answers: [
                "https://docs.example/schema.xsd": .fetched(Array(#"<s:schema xmlns:s="urn:s"/>"#.utf8)),
                "https://docs.example/script.js": .fetched(Array("function mediate(mc) { return true; }\n".utf8)),
                "https://docs.example/gone": .failed("the server answered 404 Not Found"),
                "https://docs.example/later": .offline,
            ])
        )
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <localEntry key="xsd" src="https://docs.example/schema.xsd"/>
                <localEntry key="js" src=" https://docs.example/script.js "/>
            </definitions>
            """
        let entries = try parser.parse(xml: xml, fileName: "entries.xml").localEntries
        #expect(entries.map(\.content) == [.xml(#"<s:schema xmlns:s="urn:s"/>"#), .text("function mediate(mc) { return true; }")])
        #expect(entries.first?.source == "https://docs.example/schema.xsd")

        func problems(_ source: String) -> [String] {
            do {
                _ = try parser.parse(xml: #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="k" src="\#(source)"/>"#, fileName: "e.xml")
                return []
            } catch {
                return error.diagnostics.map(\.message)
            }
        }
        #expect(problems("https://docs.example/gone") == [
            "cannot fetch local entry source 'https://docs.example/gone': the server answered 404 Not Found"
        ])
        #expect(problems("http://docs.example/new") == [
            "local entry source 'http://docs.example/new' is being fetched; the file deploys when it arrives"
        ])
        // Offline, the entry is left out with a warning: what uses its key is an unresolved reference.
        let offline = try parser.parseWithWarnings(
            bytes: Array(#"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="k" src="https://docs.example/later"/>"#.utf8),
            fileName: "e.xml"
        )
        #expect(offline.artifacts.localEntries.isEmpty)
        #expect(offline.warnings.map(\.message) == [
            "not fetched: local entry source 'https://docs.example/later' is fetched when a gateway deploys "
                + "the file; checked without it"
        ])
    }

    @Test func localEntryProblemsAreReported() {
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        #expect(problems(#"<localEntry \#(ns)>x</localEntry>"#) == ["missing required attribute 'key' on <localEntry>"])
        #expect(problems(#"<localEntry \#(ns) key="k"><a/><b/></localEntry>"#) == [
            "a <localEntry> holds text or one element, not 2 elements"
        ])
        // A reader the deployer gives no fetched documents (the publisher's check of an API source) refuses them.
        #expect(problems(#"<localEntry \#(ns) key="k" src="http://example.com/x.xsd"/>"#) == [
            "local entry source 'http://example.com/x.xsd' is fetched only when a gateway deploys the file; use "
                + "sluice validate or a gateway, not this reader"
        ])
        #expect(problems(#"<localEntry \#(ns) key="k" src="ftp://example.com/x.xsd"/>"#) == [
            "local entry source 'ftp://example.com/x.xsd' is not supported: only file:, http: and https: URLs are read"
        ])
        #expect(problems(#"<localEntry \#(ns) key="k" src="file:/nonexistent/sluice/x"/>"#).first?.hasPrefix(
            "cannot read local entry source 'file:/nonexistent/sluice/x'") == true)
    }

    @Test func sequenceAndEndpointTemplatesRoundTrip() throws {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <template name="greet">
                    <parameter name="who" isMandatory="true"/>
                    <parameter name="greeting" defaultValue="Hello"/>
                    <parameter name="suffix" default="!" optional="true"/>
                    <sequence onError="fault">
                        <log level="custom"><property name="g" expression="$func:greeting"/></log>
                    </sequence>
                </template>
                <template name="backend">
                    <parameter name="name"/><parameter name="uri"/><parameter name="timeout"/>
                    <endpoint name="$name"><address uri="$uri"><timeout><duration>$timeout</duration></timeout></address></endpoint>
                </template>
            </definitions>
            """
        let templates = try roundTrip(xml).templates
        #expect(templates.map(\.name) == ["greet", "backend"])
        #expect(templates[0].parameters == [
            TemplateParameter(name: "who", isMandatory: true),
            TemplateParameter(name: "greeting", defaultValue: "Hello"),
            TemplateParameter(name: "suffix", defaultValue: "!", isMandatory: false),
        ])
        guard case .sequence(let body) = templates[0].body else {
            Issue.record("expected a sequence template")
            return
        }
        #expect(body.name == "greet")
        #expect(body.onError == "fault")
        guard case .endpoint(let endpointXML) = templates[1].body else {
            Issue.record("expected an endpoint template")
            return
        }
        #expect(endpointXML.contains(#"<duration>$timeout</duration>"#))
    }

    @Test func templateEndpointsRoundTrip() throws {
        let xml = """
            <endpoint xmlns="http://ws.apache.org/ns/synapse" name="orders" template="backend" uri="http://localhost:9000/orders">
                <parameter name="timeout" value="3000"/>
            </endpoint>
            """
        let endpoint = try #require(try roundTrip(xml).endpoints.first)
        #expect(endpoint.kind == .template(TemplateEndpoint(
            template: "backend",
            uri: "http://localhost:9000/orders",
            parameters: [.init(name: "timeout", value: "3000")]
        )))
    }

    @Test func outOfScopeArtifactsAreRefusedWithTheReason() {
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        #expect(problems(#"<proxy \#(ns) name="p"/>"#) == [
            "<proxy> artifacts are not supported: proxy services are out of scope for Sluice, an API gateway; expose the service as an <api>"
        ])
        #expect(problems(#"<definitions \#(ns)><task name="t"/><messageStore name="s"/></definitions>"#) == [
            "<task> artifacts are not supported: scheduled tasks are out of scope for Sluice",
            "<messageStore> artifacts are not supported: message stores are out of scope for Sluice",
        ])
        #expect(problems(#"<inboundEndpoint \#(ns) name="i"/>"#).count == 1)
        #expect(problems(#"<template \#(ns) name="t"><parameter name="p"/></template>"#) == [
            "<template> 't' needs a <sequence> or an <endpoint>"
        ])
    }
}
