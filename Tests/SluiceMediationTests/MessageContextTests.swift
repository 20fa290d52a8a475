import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@Suite struct MessageContextTests {
    @Test func bindDispatchSetsSynapseProperties() {
        var context = Build.context(path: "/pizzashack/1.0.0/menu/7", query: "size=large&x=a%20b&size=small")
        context.bindDispatch(
            apiName: "admin--PizzaShackAPI",
            apiContext: "/pizzashack/1.0.0",
            uriVariables: ["id": "7"]
        )
        #expect(context[property: "SYNAPSE_REST_API"] == "admin--PizzaShackAPI")
        #expect(context[property: "REST_API_CONTEXT"] == "/pizzashack/1.0.0")
        #expect(context[property: "REST_FULL_REQUEST_PATH"] == "/pizzashack/1.0.0/menu/7?size=large&x=a%20b&size=small")
        #expect(context[property: "REST_SUB_REQUEST_PATH"] == "/menu/7?size=large&x=a%20b&size=small")
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "/menu/7?size=large&x=a%20b&size=small")
        #expect(context[property: "uri.var.id"] == "7")
        // Synapse sets query.param.* one part after the other: the last of a name wins.
        #expect(context[property: "query.param.size"] == "small")
        #expect(context[property: "query.param.x"] == "a b")
    }

    @Test func bareContextHasAnEmptyPostfix() {
        var context = Build.context(path: "/orders")
        context.bindDispatch(apiName: "o", apiContext: "/orders")
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "")
        #expect(context[property: "REST_SUB_REQUEST_PATH"] == "/")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func systemDateAndTime(milliseconds: Int64, expected: String) throws {
        var context = Build.context()
        context.clock = EpochClock { milliseconds }
        #expect(context.lookupProperty(scope: .default, name: "SYSTEM_DATE") == .string(expected))
        #expect(context.lookupProperty(scope: .default, name: "SYSTEM_TIME") == .integer(Int(milliseconds)))
        #expect(try ExpressionTests.evaluate("get-property('SYSTEM_TIME')", in: &context) == String(milliseconds))
    }

    @Test(arguments: [
        ("yyyy-MM-dd", "2023-11-14"),
        ("dd/MM/yy HH:mm:ss.SSS", "14/11/23 22:13:20.123"),
        ("yyyy-MM-dd'T'HH:mm'Z'", "2023-11-14T22:13Z"),
        ("'it''s' EEE", "it's EEE"),
    ])
    func systemDateWithJavaPattern(pattern: String, expected: String) {
        #expect(EpochClock { 1_700_000_000_123 }.formatted(pattern) == expected)
    }

    @Test func systemDateFunctionFormats() throws {
        var context = Build.context()
        context.clock = EpochClock { 1_700_000_000_123 }
        #expect(
            try ExpressionTests.evaluate("get-property(\"SYSTEM_DATE\", \"yyyy/MM/dd\")", in: &context) == "2023/11/14"
        )
    }

    @Test func replacingTheBodyDropsTheParsedCache() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#)
        #expect(try ExpressionTests.evaluate("json-eval($.a)", in: &context) == "1")
        context.body = .text(#"{"a":2}"#)
        #expect(try ExpressionTests.evaluate("json-eval($.a)", in: &context) == "2")
    }

    /// Synapse's `ApiUtils.populateQueryParamsToMessageContext`: split on `&`, names as written, values decoded
    /// (`+` a space), the last of a name wins, and a part without `=` is appended, with its `&`, to the value
    /// before it.
    @Test func queryParametersAreSplitAsSynapseSplitsThem() {
        let context = Build.context(query: "a=1&b=x+y&c=%E2%9C%93&a=2&sort=name&desc&x%20y=raw&e=&&z=1&")
        #expect(context.queryParameter("a") == "2")
        #expect(context.queryParameter("b") == "x y")
        #expect(context.queryParameter("c") == "✓")
        #expect(context.queryParameter("sort") == "name&desc")
        #expect(context.queryParameter("desc") == nil)
        #expect(context.queryParameter("x%20y") == "raw")
        #expect(context.queryParameter("x y") == nil)
        // An empty part inside the query counts as a part without `=`; Java's split drops the trailing one.
        #expect(context.queryParameter("e") == "&")
        #expect(context.queryParameter("z") == "1")
        #expect(context.queryParameter("none") == nil)
        // A part without `=` before any named one is ignored (Synapse files it under the name "null").
        #expect(Build.context(query: "flag&a=1").queryParameter("flag") == nil)
        #expect(Build.context(query: "flag&a=1").queryParameter("null") == nil)
    }

    @Test func malformedQueryValuesAreFound() {
        #expect(QueryParameters.malformedParameter(in: "a=%41&b=ok") == nil)
        #expect(QueryParameters.malformedParameter(in: "a=1&b=%zz") == "b")
        #expect(QueryParameters.malformedParameter(in: "a=50%") == "a")
        // Names are not decoded, so a bad escape in a name is no error.
        #expect(QueryParameters.malformedParameter(in: "%zz=1") == nil)
    }

    @Test func soapVersionDetection() {
        #expect(Build.context(headers: [("Content-Type", "text/xml"), ("SOAPAction", "")]).soapVersion == .soap11)
        #expect(Build.context(headers: [("Content-Type", "application/soap+xml")]).soapVersion == .soap12)
        #expect(Build.context(headers: [("Content-Type", "text/xml")]).soapVersion == nil)
        #expect(Build.context(headers: [("Content-Type", "application/json")]).soapVersion == nil)
    }

    @Test func streamingBodyPassesThroughUntouched() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:x")])
        context.body = .streaming
        let step = try Build.run(
            [
                .property(PropertyMediator(name: "a", value: .expression(Build.expression("$trp:SOAPAction")))),
                .header(.init(name: "X-Seen", value: .literal("1"), scope: .transport)),
            ],
            on: &context
        )
        #expect(step.name == "finished")
        #expect(context.body == .streaming)
        #expect(context[property: "a"] == "urn:x")
    }
}
