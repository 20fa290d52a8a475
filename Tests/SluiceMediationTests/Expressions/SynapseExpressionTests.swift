import SluiceMediation
import SluiceModel
import Testing

/// Synapse Expressions (`${...}`) evaluated the way Synapse evaluates them, through a `<property expression>`.
@Suite struct SynapseExpressionTests {
    static let store = """
        {"store": {"book": [
          {"category": "reference", "title": "Sayings", "price": 8.95},
          {"category": "fiction", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
          {"category": "fiction", "title": "Farm", "price": 7.99}],
          "bicycle": {"color": "red", "price": 19.95}},
         "expensive": 10, "name": "John", "index": 1, "padded": " hi ", "nothing": null}
        """

    static func evaluate(_ expression: String, body: String? = store, contentType: String = "application/json") throws -> String? {
        var context = ExpressionTests.sampleContext(body: body, contentType: contentType)
        return try ExpressionTests.evaluate("${" + expression + "}", in: &context)
    }

    @Test(arguments: [
        ("8.95 + 8.99", "17.94"),
        ("5 + 3 + -1", "7"),
        ("5.5 + 3.5", "9.0"),
        ("2147483647 + 1", "2147483648"),
        ("2147483647 * -2", "-4294967294"),
        ("5 - 30 + 2 - 10", "-33"),
        ("72.0 * 1.032145", "74.31444"),
        ("9 / 3", "3"),
        ("5/10", "0.5"),
        ("20000000000/10", "2.0E9"),
        ("34.45 / 3.44", "10.01"),
        ("100/10.0", "10.0"),
        ("34.56 % 3.45", "0.06"),
        ("10 % 3", "1"),
        ("-5.5 % 3", "-2.5"),
        ("\"abc\" + \"xyz\"", "abcxyz"),
        ("'single' + \"double\"", "singledouble"),
    ])
    func arithmetic(expression: String, expected: String) throws {
        #expect(try Self.evaluate(expression) == expected)
    }

    @Test(arguments: [
        ("5 > 3", "true"),
        ("-5 >= -3.4", "false"),
        ("5 == 5", "true"),
        ("\"abc\" != \"abc\"", "false"),
        ("null == null", "true"),
        ("null == payload.nothing", "true"),
        ("true and false", "false"),
        ("true || false", "true"),
        ("(5 > 3) and (2 > 1)", "true"),
        ("true ? 1 : 2", "1"),
        ("false ? true : false ? false : true", "true"),
        ("5.2 > 5 ? \"big\" : \"small\"", "big"),
    ])
    func comparisonsAndLogic(expression: String, expected: String) throws {
        #expect(try Self.evaluate(expression) == expected)
    }

    /// What fails in Synapse gives no value at all (the property stays unset), including Synapse's precedence,
    /// under which `5 > 3 and 2 > 1` compares 5 with `3 and 2`.
    @Test(arguments: [
        "\"abc\" + 5", "5 / 0", "5 > \"bla\"", "5 and null", "vars.missing + 1", "5 > 3 and 2 > 1",
        "payload.missing", "headers.Missing", "\"bla\" ? 1 : 2", "now() > 5",
    ])
    func failuresGiveNoValue(expression: String) throws {
        #expect(try Self.evaluate(expression) == nil)
    }

    @Test(arguments: [
        ("payload.name", "John"),
        ("$.name", "John"),
        ("payload.store.book[0].title", "Sayings"),
        ("payload.store.book[-1].title", "Farm"),
        ("payload.store.book[payload.index].title", "Moby Dick"),
        ("payload[\"store\"][\"bicycle\"].color", "red"),
        ("payload.store.book.length()", "3"),
        ("$..color", "[\"red\"]"),
        ("payload.store.book[*].price", "[8.95,8.99,7.99]"),
        ("payload.store.book[0,2].title", "[\"Sayings\",\"Farm\"]"),
        ("payload.store.book[1:].title", "[\"Moby Dick\",\"Farm\"]"),
        ("payload.store.book[?(@.price < 8.96)].title", "[\"Sayings\",\"Farm\"]"),
        ("payload.store.book[?(@.isbn)].title", "[\"Moby Dick\"]"),
        ("payload.store.book[?(@.category == \"fiction\" && @.price > 8)].title", "[\"Moby Dick\"]"),
        ("payload.store.bicycle", "{\"color\":\"red\",\"price\":19.95}"),
        ("payload.expensive + 5", "15"),
        ("payload.store.bicycle.price * 2", "39.9"),
    ])
    func jsonPayload(expression: String, expected: String) throws {
        #expect(try Self.evaluate(expression) == expected)
    }

    @Test func xmlPayloadReadsThroughJSONConversionAndXPath() throws {
        let body = "<order><id>7</id><item>pen</item><item>ink</item></order>"
        #expect(try Self.evaluate("payload.order.id + 1", body: body, contentType: "application/xml") == "8")
        #expect(try Self.evaluate("payload.order.item[1]", body: body, contentType: "application/xml") == "ink")
        #expect(try Self.evaluate("xpath(\"//item[2]\")", body: body, contentType: "application/xml") == "ink")
        #expect(try Self.evaluate("xpath(\"count(//item)\")", body: body, contentType: "application/xml") == "2")
    }

    @Test(arguments: [
        ("headers[\"X-Trace\"]", "t-1"),
        ("headers.X-Trace", "t-1"),
        ("props.synapse.customer", "alice"),
        ("properties.axis2.HTTP_METHOD", "PUT"),
        ("params.queryParams.status", "open"),
        ("params.pathParams.id + 1", "43"),
        ("exists(headers.X-Trace)", "true"),
        ("exists(payload.missing)", "false"),
        ("exists(vars.missing)", "false"),
    ])
    func messageParts(expression: String, expected: String) throws {
        #expect(try Self.evaluate(expression) == expected)
    }

    @Test(arguments: [
        ("toUpper(payload.name)", "JOHN"),
        ("toLower(\"ABC\")", "abc"),
        ("length(payload.name)", "4"),
        ("length(payload.store.book)", "3"),
        ("subString(\"hello\", 1, 3)", "el"),
        ("subString(\"hello\", 2)", "llo"),
        ("trim(payload.padded)", "hi"),
        ("replace(\"a-b-c\", \"-\", \"+\")", "a+b+c"),
        ("split(\"a,b,,c,,\", \",\")", "[\"a\",\"b\",\"\",\"c\"]"),
        ("indexOf(\"hello\", \"l\")", "2"),
        ("indexOf(\"hello\", \"l\", 3)", "3"),
        ("charAt(\"hello\", 1)", "e"),
        ("startsWith(payload.name, \"Jo\")", "true"),
        ("contains(payload.name, \"x\")", "false"),
        ("abs(-5)", "5"),
        ("ceil(2.1)", "3.0"),
        ("floor(2.9)", "2.0"),
        ("round(2.5)", "3"),
        ("round(2.567, 2)", "2.57"),
        ("sqrt(16)", "4.0"),
        ("pow(2, 10)", "1024.0"),
        ("log(100)", "2.0"),
        ("base64encode(\"abc\")", "YWJj"),
        ("base64decode(\"YWJj\")", "abc"),
        ("urlEncode(\"a b*c&\")", "a%20b%2Ac%26"),
        ("urlDecode(\"a%20b+c\")", "a b c"),
        ("integer(\"42\") + 1", "43"),
        ("float(\"1.5\") + 1", "2.5"),
        ("boolean(\"TRUE\")", "true"),
        ("string(42) + \"!\"", "42!"),
        ("isNumber(payload.expensive)", "true"),
        ("isString(payload.expensive)", "false"),
        ("isArray(payload.store.book)", "true"),
        ("isObject(payload.store)", "true"),
        ("not(true)", "false"),
        ("object(\"{\\\"a\\\":{\\\"b\\\":5}}\").a.b", "5"),
        ("[1, \"two\", true]", "[1,\"two\",true]"),
        ("formatDateTime(\"2024-03-05\", \"yyyy-MM-dd\", \"dd/MM/yyyy\")", "05/03/2024"),
    ])
    func functions(expression: String, expected: String) throws {
        #expect(try Self.evaluate(expression) == expected)
    }

    /// A broken expression fails the artifact with the column where it broke, counted in the attribute value.
    @Test(arguments: [
        (#"<property name="x" expression="${payload.a +}"/>"#, "column 14"),
        (#"<property name="x" expression="${vars.a ++ 1}"/>"#, "column 11"),
        (#"<property name="x" expression="${toUpper()}"/>"#, "toUpper() takes 1 argument(s), not 0"),
        (#"<property name="x" expression="${nosuch(1)}"/>"#, "unknown name 'nosuch'"),
        (#"<property name="x" expression="${'open}"/>"#, "unterminated string literal"),
        (#"<property name="x" expression="${xpath('//[')}"/>"#, "xpath"),
        (#"<filter xpath="${payload.a ==}"><then/></filter>"#, "column 15"),
        (#"<property name="x" expression="${wso2-vault('key')}"/>"#, "wso2-vault() is not supported"),
        (#"<property name="x" expression="${hashicorp-vault('path', 'key')}"/>"#, "Sluice has no secure vault"),
    ])
    func syntaxErrorsNameTheColumn(xml: String, expected: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.count == 1)
        #expect(problems.first?.contains(expected) == true, "\(problems)")
        #expect(problems.first?.contains("invalid Synapse expression") == true, "\(problems)")
    }

    /// Synapse's rule for telling the syntaxes apart: only a value that starts with `${` and ends with `}` is new.
    @Test func oldSyntaxStaysOld() throws {
        #expect(try Self.evaluate("1 + 1") == "2")
        var context = ExpressionTests.sampleContext(body: Self.store)
        #expect(try ExpressionTests.evaluate("concat('${', $ctx:customer, '}')", in: &context) == "${alice}")
    }
}
