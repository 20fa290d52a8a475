import Foundation
import HTTPTypes
import SluiceControlPlane
import SluiceArtifacts
import Testing

/// Issue #12, item 4, where it was found (the publisher's source editor): a hand-edited source without
/// `APIAuthenticationHandler` made a published API answer without a token, and a creator's edit reached the
/// gateway at once.
@Suite struct PublisherSourceGuardTests {
    static let authentication = "org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler"
    static let throttling = "org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler"

    /// `xml` without the `<handler>` element of `className`.
    static func removingHandler(_ className: String, from xml: String) throws -> String {
        let pattern = #"<handler class=""# + NSRegularExpression.escapedPattern(for: className)
            + #""(\s*/>|>[\s\S]*?</handler>)"#
        let range = try #require(xml.range(of: pattern, options: .regularExpression))
        return xml.replacingCharacters(in: range, with: "")
    }

    @Test func aSourceThatDropsAHandlerOrAResourcesAuthenticationIsRefusedNamingIt() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await PublisherSourceViewTests.publishedAPI(browser)
            let before = try PublisherSourceViewTests.artifact(fixture, file)
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let text = try PublisherSourceViewTests.editorText(editor.html)
            let orderAuth = try #require(text.range(of: #"auth-type="Application""#))
            let noneOnOrder = text.replacingCharacters(in: orderAuth, with: #"auth-type="None""#)
            for (edited, message) in [
                (try Self.removingHandler(Self.authentication, from: text), "must keep \(Self.authentication)"),
                (try Self.removingHandler(Self.throttling, from: text), "must keep \(Self.throttling)"),
                (noneOnOrder, "must keep authentication"),
            ] {
                let refused = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
                #expect(refused.status == .unprocessableContent, "\(message)")
                #expect(refused.html.contains(message), "\(message)")
            }
            #expect(try PublisherSourceViewTests.artifact(fixture, file) == before)
        }
    }

    @Test func aCreatorsSourceEditOfALiveAPIWaitsForAPublisher() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let (id, file) = try await PublisherSourceViewTests.publishedAPI(browser)
            let before = try PublisherSourceViewTests.artifact(fixture, file)
            try await browser.signIn("chris", area: "publisher")
            let editor = try await browser.get("/publisher/apis/\(id)/source/edit")
            let (edited, _) = try PublisherSourceViewTests.inserting(
                #"<property name="edited-by-creator" value="yes"/>"#,
                after: "<inSequence>",
                in: try PublisherSourceViewTests.editorText(editor.html)
            )
            let saved = try await browser.post("/publisher/apis/\(id)/source", [("source", edited)], csrf: editor.csrf)
            #expect(saved.status == .seeOther)
            #expect(try PublisherSourceViewTests.artifact(fixture, file) == before)
            let creatorView = try await browser.get("/publisher/apis/\(id)")
            #expect(creatorView.html.contains(#"data-testid="pending-changes""#))
            #expect(!creatorView.html.contains(#"data-testid="deploy-pending""#))

            try await browser.signIn("pat", area: "publisher")
            let publisherView = try await browser.get("/publisher/apis/\(id)")
            #expect(publisherView.html.contains(#"data-testid="deploy-pending""#))
            let deployed = try await browser.post("/publisher/apis/\(id)/redeploy", [], csrf: publisherView.csrf)
            #expect(deployed.status == .seeOther)
            #expect(try PublisherSourceViewTests.artifact(fixture, file) == edited)
            #expect(!(try await browser.get("/publisher/apis/\(id)").html.contains(#"data-testid="pending-changes""#)))
        }
    }
}
