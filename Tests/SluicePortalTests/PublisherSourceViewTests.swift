import Foundation
import HTTPTypes
import SluiceArtifacts
import SluiceControlPlane
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceStorage
import Testing

/// The Synapse XML source view: read-only view, validated edits that are saved and deployed, broken edits that
/// show their diagnostics and save nothing, revert, and how an edit lives with Block and definition edits.
@Suite struct PublisherSourceViewTests {
    /// A published API created through the form by `admin` (creator and publisher in one); returns its id and
    /// the artifact's file name.
    static func publishedAPI(_ browser: Browser) async throws -> (id: String, file: String) {
        try await browser.signIn("admin", area: "publisher")
        let id = try await PublisherPortalTests.createAPI(browser)
        let page = try await browser.get("/publisher/apis/\(id)")
        _ = try await browser.post("/publisher/apis/\(id)/lifecycle", [("action", "Publish")], csrf: page.csrf)
        return (id, "admin--Pizza_v1.0.0.xml")
    }

    static func artifact(_ fixture: PortalFixture, _ file: String) throws -> String {
        let writer = try #require(fixture.services.lifecycleExecutor.deployer as? DeploymentFolderWriter)
        return try String(contentsOfFile: writer.apiFolder + "/" + file, encoding: .utf8)
    }

    /// The editor's text (the textarea's content, unescaped).
    static func editorText(_ html: String) throws -> String {
        let start = try #require(html.range(of: #"class="code""#))
        let open = try #require(html[start.upperBound...].range(of: ">"))
        let close = try #require(html[open.upperBound...].range(of: "</textarea>"))
        return String(html[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&#x3D;", with: "=")
            .replacingOccurrences(of: "&#x60;", with: "`").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `xml` with `line` inserted after the first line containing `marker`; also returns the new line's number.
    static func inserting(_ line: String, after marker: String, in xml: String) throws -> (String, Int) {
        var lines = xml.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains(marker) })
        lines.insert(line, at: index + 1)
        return (lines.joined(separator: "\n"), index + 2)
    }

    @Test func theSourceViewShowsTheGeneratedArtifact() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let page = try await browser.get("/publisher/apis/\(id)/source")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"data-testid="source-kind">Generated"#))
            #expect(page.html.contains(file))
            #expect(page.html.contains("admin--Pizza"))
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            #expect(try Self.editorText(editor.html) == (try Self.artifact(fixture, file)))
        }
    }

    @Test func aValidEditIsSavedAndDeployed() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (edited, _) = try Self.inserting(
                #"<property name="edited-by-hand" value="yes"/>"#,
                after: "<inSequence>",
                in: try Self.editorText(editor.html)
            )
            let saved = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
            #expect(saved.status == .seeOther)
            #expect(try Self.artifact(fixture, file) == edited)
            let view = try await browser.get("/publisher/apis/\(id)/source")
            #expect(view.html.contains("the gateway serves it now"))
            #expect(view.html.contains(#"data-testid="source-kind">Hand-edited"#))
            #expect(view.html.contains("edited-by-hand"))

            // Block serves the 700700 artifact, not the edit; Re-Publish brings the edit back.
            _ = try await browser.post("/publisher/apis/\(id)/lifecycle", [("action", "Block")], csrf: view.csrf)
            #expect(try Self.artifact(fixture, file).contains("700700"))
            #expect(try !Self.artifact(fixture, file).contains("edited-by-hand"))
            _ = try await browser.post("/publisher/apis/\(id)/lifecycle", [("action", "Re-Publish")], csrf: view.csrf)
            #expect(try Self.artifact(fixture, file) == edited)

            // Revert: the generated artifact is deployed again.
            let reverted = try await browser.post("/publisher/apis/\(id)/source/revert", [], csrf: view.csrf)
            #expect(reverted.status == .seeOther)
            #expect(try !Self.artifact(fixture, file).contains("edited-by-hand"))
            #expect(try await browser.get("/publisher/apis/\(id)/source").html.contains(#"source-kind">Generated"#))
        }
    }

    /// A saved edit the gateway deploys with warnings (here stray text, which Synapse reads past) is saved, and
    /// the page it lands on lists the warnings with their lines.
    @Test func aSavedEditShowsItsDeploymentWarnings() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (edited, _) = try Self.inserting("stray words", after: "<inSequence>", in: try Self.editorText(editor.html))
            let saved = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
            #expect(saved.status == .seeOther)
            #expect(try Self.artifact(fixture, file) == edited)
            let line = try #require(edited.components(separatedBy: "\n").firstIndex { $0.contains("<inSequence>") }) + 1
            let view = try await browser.get("/publisher/apis/\(id)/source")
            #expect(view.html.contains("the gateway serves it now. 1 warning:"))
            #expect(view.html.contains(#"data-testid="flash-details""#))
            #expect(view.html.contains("Line \(line), column"))
            #expect(view.html.contains("warning: text inside &lt;inSequence&gt; is ignored, as Synapse ignores it"))
            // The flash is shown once.
            #expect(try await !browser.get("/publisher/apis/\(id)/source").html.contains("flash-details"))
        }
    }

    @Test func malformedXMLShowsItsLineAndSavesNothing() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let before = try Self.artifact(fixture, file)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (broken, line) = try Self.inserting(
                #"<property name="x" value="y">"#,
                after: "<inSequence>",
                in: try Self.editorText(editor.html)
            )
            let refused = try await browser.post(
                "/publisher/apis/\(id)/source",
                [("source", broken)],
                csrf: editor.csrf
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"data-testid="source-errors""#))
            #expect(refused.html.contains("Not saved"))
            // libxml2 reports the mismatch where the unclosed element's parent ends, at or after the bad line.
            let reported = Self.reportedLines(refused.html)
            #expect(!reported.isEmpty)
            #expect(reported.allSatisfy { $0 >= line })
            // The broken text stays in the editor for fixing.
            #expect(try Self.editorText(refused.html) == broken)
            #expect(try Self.artifact(fixture, file) == before)
            let record = try #require(try await fixture.storage.api(id: id))
            #expect(
                !PublisherAPIService(services: fixture.services, logger: .init(label: "t")).hasSourceOverride(record)
            )
        }
    }

    @Test func anUnknownMediatorIsReportedAtItsLineAndColumn() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let before = try Self.artifact(fixture, file)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (broken, line) = try Self.inserting(
                "    <teleport destination=\"mars\"/>",
                after: "<inSequence>",
                in: try Self.editorText(editor.html)
            )
            let refused = try await browser.post(
                "/publisher/apis/\(id)/source",
                [("source", broken)],
                csrf: editor.csrf
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("Line \(line), column 5"))
            #expect(refused.html.contains("unknown mediator"))
            #expect(refused.html.contains("teleport"))
            #expect(try Self.artifact(fixture, file) == before)
        }
    }

    @Test func theSourceMustStayTheSameAPI() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let before = try Self.artifact(fixture, file)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let text = try Self.editorText(editor.html)
            for (edited, message) in [
                (text.replacingOccurrences(of: "admin--Pizza", with: "admin--Other"), "name must stay"),
                (
                    text.replacingOccurrences(of: #"context="/pizza/1.0.0""#, with: #"context="/elsewhere/1.0.0""#),
                    "context"
                ),
                ("   ", "the source is empty"),
                (
                    #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="s"><drop/></sequence>"#,
                    "exactly one &lt;api&gt;"
                ),
            ] {
                let refused = try await browser.post(
                    "/publisher/apis/\(id)/source",
                    [("source", edited)],
                    csrf: editor.csrf
                )
                #expect(refused.status == .unprocessableContent, "\(message)")
                #expect(refused.html.contains(message), "\(message)")
            }
            #expect(try Self.artifact(fixture, file) == before)
        }
    }

    @Test func aDefinitionEditRegeneratesAndDropsTheHandEdit() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await Self.publishedAPI(browser)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (edited, _) = try Self.inserting(
                #"<property name="edited-by-hand" value="yes"/>"#,
                after: "<inSequence>",
                in: try Self.editorText(editor.html)
            )
            _ = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
            let form = try await browser.get("/publisher/apis/\(id)/edit")
            #expect(form.html.contains("drops the hand edit"))
            let saved = try await browser.post(
                "/publisher/apis/\(id)/edit",
                PublisherPortalTests.apiFields(),
                csrf: form.csrf
            )
            #expect(saved.status == .seeOther)
            #expect(try !Self.artifact(fixture, file).contains("edited-by-hand"))
        }
    }

    @Test func aCreatorsEditOfACreatedAPIIsStoredAndDeployedOnPublish() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await PublisherPortalTests.createAPI(browser)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (edited, _) = try Self.inserting(
                #"<property name="edited-by-hand" value="yes"/>"#,
                after: "<inSequence>",
                in: try Self.editorText(editor.html)
            )
            let saved = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
            #expect(saved.status == .seeOther)
            #expect(try PublisherPortalTests.deployedFiles(fixture).isEmpty)
            #expect(
                try await browser.get("/publisher/apis/\(id)/source").html.contains(
                    "deployed when the API is published"
                )
            )
            browser.forget()
            try await browser.signIn("pat", area: "publisher")
            let page = try await browser.get("/publisher/apis/\(id)")
            _ = try await browser.post("/publisher/apis/\(id)/lifecycle", [("action", "Publish")], csrf: page.csrf)
            #expect(try Self.artifact(fixture, "chris--Pizza_v1.0.0.xml") == edited)
        }
    }

    /// The line numbers of the diagnostics on a page.
    static func reportedLines(_ html: String) -> [Int] {
        html.components(separatedBy: "<strong>Line ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }
}
