import CLibXML2
import SluiceXML
import Testing

/// The one parsing layer refuses what could reach outside the document or exhaust the process, for artifacts and
/// payloads alike.
@Suite struct HardenedXMLParserTests {
    private func error(_ text: String, limits: HardenedXMLParser.Limits = .payload) -> XMLParseError? {
        do {
            let parsed = try HardenedXMLParser.parse(text, limits: limits)
            xmlFreeDoc(parsed.document)
            return nil
        } catch {
            return error
        }
    }

    @Test func wellFormedPayloadParses() throws {
        let parsed = try HardenedXMLParser.parse("<order><id>7</id></order>")
        defer { xmlFreeDoc(parsed.document) }
        let root = try #require(xmlDocGetRootElement(parsed.document))
        #expect(String(cString: root.pointee.name) == "order")
    }

    @Test(arguments: [
        #"<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>"#,
        #"<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd"><x/>"#,
        #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/passwd">]><x>&s;</x>"#,
    ])
    func doctypesAreRefusedBeforeAnyEntity(text: String) {
        #expect(error(text)?.message == "DOCTYPE is not allowed")
    }

    @Test func undeclaredEntitiesAreErrorsNotExpansions() {
        #expect(error("<x>&e;</x>")?.message == "Entity 'e' not defined")
    }

    @Test func predefinedEntitiesAndCharacterReferencesStillWork() throws {
        let root = try XMLDocumentParser().parse(text: "<x a=\"&lt;&#65;\">&amp;</x>")
        #expect(root.textContent == "&")
        #expect(root.attribute("a") == "<A")
    }

    @Test func sizeLimitIsCheckedBeforeParsing() {
        let limits = HardenedXMLParser.Limits(maxBytes: 16)
        #expect(error("<x>" + String(repeating: "a", count: 32) + "</x>", limits: limits)?.message
            == "document is 39 bytes, over the limit of 16 bytes")
    }

    @Test func depthLimitNamesTheElementThatCrossesIt() {
        let limits = HardenedXMLParser.Limits(maxBytes: 1024, maxDepth: 3)
        let found = error("<a>\n<b>\n<c>\n<d/></c></b></a>", limits: limits)
        #expect(found?.message == "elements are nested deeper than 3 levels")
        #expect(found?.line == 4)
    }

    @Test func depthNeverExceedsLibXMLsOwnCeiling() {
        #expect(HardenedXMLParser.Limits(maxBytes: 1, maxDepth: 10_000).maxDepth == 256)
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(error(deep)?.message.contains("nested") == true)
    }

    @Test(arguments: ["", "not xml", "<a><b></a>", "<a/><b/>"])
    func malformedInputIsAnError(text: String) {
        #expect(error(text) != nil)
    }

    @Test func treeParserKeepsStartTagPositions() throws {
        let root = try XMLDocumentParser().parse(text: "<a>\n  <b x=\"1\"/>\n</a>")
        #expect(root.childElements.first?.line == 2)
        #expect(root.childElements.first?.column == 3)
        #expect(root.childElements.first?.attribute("x") == "1")
    }
}

@Suite struct XMLEscapingTests {
    @Test func escapeCoversTheFiveSpecialCharacters() {
        #expect(XMLEscaping.escape(#"<a href="x">&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;")
        #expect(XMLEscaping.escape("plain") == "plain")
    }

    @Test func textKeepsQuotesAndProtectsCarriageReturns() {
        #expect(XMLEscaping.text("a\"b'<&>\r") == "a\"b'&lt;&amp;&gt;&#13;")
    }

    @Test func attributeProtectsWhitespaceFromNormalization() {
        #expect(XMLEscaping.attribute("a\"\n\t\r") == "a&quot;&#10;&#9;&#13;")
    }
}
