import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// Custom `json-eval` targets as WSO2 Synapse's `Target.setEnrichResultToBody` runs them with Jayway JSONPath.
@Suite struct EnrichJSONTargetTests {
    static let crates = #"{"crates":[{"id":1,"fruit":"fig","kg":4},{"id":2,"fruit":"plum","kg":12},{"id":3,"fruit":"fig","kg":9}]}"#

    private func enrich(_ action: String, path: String, source: String = #"<source type="inline" clone="true">{"checked":true}</source>"#, body: String = Self.crates) throws -> MessageContext {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
        let xml = "<enrich>\(source)<target action=\"\(action)\" xpath=\"json-eval(\(path))\"/></enrich>"
            + #"<property name="after" value="yes"/>"#
        try Build.run(try MediatorXML.roundTrip(xml), on: &context)
        return context
    }

    /// `replace` sets every match of an indefinite path (`DocumentContext.set`), filters included.
    @Test func replaceSetsEveryMatch() throws {
        let figs = try enrich("replace", path: "$.crates[?(@.fruit == 'fig')].kg", source: #"<source type="inline" clone="true">0</source>"#)
        #expect(figs.body.string == #"{"crates":[{"id":1,"fruit":"fig","kg":0},{"id":2,"fruit":"plum","kg":12},{"id":3,"fruit":"fig","kg":0}]}"#)
        let all = try enrich("replace", path: "$.crates[*].fruit", source: #"<source type="inline" clone="true">"pear"</source>"#)
        #expect(all.body.string?.components(separatedBy: #""fruit":"pear""#).count == 4)
        #expect(throws: MediationFault.self) {
            _ = try enrich("replace", path: "$.crates[?(@.kg > 100)].kg")
        }
    }

    /// `child` on a definite path appends to the array or merges into the object; on an indefinite one Synapse
    /// appends the source to the array of matches and sets every match to that array.
    @Test func childAppendsOrMergesAndAnIndefinitePathGetsTheListOfMatches() throws {
        let appended = try enrich("child", path: "$.crates", source: #"<source type="inline" clone="true">{"id":4}</source>"#)
        #expect(appended.body.string?.hasSuffix(#"{"id":3,"fruit":"fig","kg":9},{"id":4}]}"#) == true)
        let merged = try enrich("child", path: "$.crates[1]")
        #expect(merged.body.string?.contains(#"{"id":2,"fruit":"plum","kg":12,"checked":true}"#) == true)
        let plums = try enrich("child", path: "$.crates[?(@.fruit == 'plum')].id", source: #"<source type="inline" clone="true">7</source>"#)
        #expect(plums.body.string?.contains(#"{"id":[2,7],"fruit":"plum","kg":12}"#) == true)
    }

    /// Synapse logs "Action sibling is not supported" for JSON targets and leaves the body as it is; the sequence
    /// goes on.
    @Test func siblingOnAJSONPathChangesNothing() throws {
        let context = try enrich("sibling", path: "$.crates[0]")
        #expect(context.body.string == Self.crates)
        #expect(context[property: "after"]?.stringValue == "yes")
    }

    /// Jayway reads a name right after ']' as the next member (WSO2's EnrichTestAPI writes `spo[0]spo_emad_spo_srs`).
    @Test func aNameRightAfterABracketIsTheNextMember() throws {
        let context = try enrich(
            "replace",
            path: "exchange.spo[0]email",
            source: #"<source type="inline" clone="true">"dnu@example.com"</source>"#,
            body: #"{"exchange":{"spo":[{"email":"a@example.com"}]}}"#
        )
        #expect(context.body.string == #"{"exchange":{"spo":[{"email":"dnu@example.com"}]}}"#)
    }
}
