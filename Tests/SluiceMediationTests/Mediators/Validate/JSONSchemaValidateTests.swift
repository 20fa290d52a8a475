import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<validate>` with a JSON Schema from a local entry.
@Suite struct JSONSchemaValidateTests {
    static let orderSchema = """
        {"$schema": "http://json-schema.org/draft-07/schema#", "title": "order", "type": "object",
         "required": ["id", "items"], "additionalProperties": false,
         "properties": {
           "id": {"type": "integer", "minimum": 1},
           "status": {"enum": ["new", "paid"]},
           "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$", "minLength": 5, "maxLength": 10},
           "note": {"type": ["string", "null"]},
           "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}}
         },
         "definitions": {"item": {"type": "object", "required": ["qty"],
           "properties": {"qty": {"type": "number", "exclusiveMinimum": 0, "maximum": 100}}}}}
        """

    static func program(_ entries: [String: String]) throws -> MediationProgram {
        let body = entries.map { key, value in #"<localEntry key="\#(key)"><![CDATA[\#(value)]]></localEntry>"# }.joined()
        return try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(body)</definitions>"#,
                fileName: "entries.xml"
            )
        )
    }

    static let validate =
        ##"<validate><schema key="order"/><on-fail><property name="failed" value="yes"/></on-fail></validate>"##
        + ##"<property name="after" value="yes"/>"##

    static func json(_ body: String) -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
    }

    static func problems(_ body: String, schema: String = orderSchema) throws -> [String] {
        let program = try program(["order": schema])
        var context = json(body)
        try Build.run(try MediatorXML.roundTrip(validate), on: &context, program: program)
        #expect(context[property: "after"] == "yes")
        guard context[property: "failed"] != nil else { return [] }
        return (context[property: "ERROR_MESSAGE"]?.stringValue ?? "").split(separator: "\n").map(String.init)
    }

    @Test func validMessagesGoOn() throws {
        #expect(try Self.problems(#"{"id": 3, "status": "paid", "code": "ABC-12", "note": null, "items": [{"qty": 2.5}]}"#) == [])
    }

    @Test(arguments: [
        (#"{"items": [{"qty": 1}]}"#, "$: required property 'id' is missing"),
        (#"{"id": 1.5, "items": [{"qty": 1}]}"#, "$.id: number found, integer expected"),
        (#"{"id": 0, "items": [{"qty": 1}]}"#, "$.id: 0 is less than the minimum 1"),
        (#"{"id": 1, "status": "lost", "items": [{"qty": 1}]}"#, #"$.status: "lost" is not one of "new", "paid""#),
        (#"{"id": 1, "code": "abc-1", "items": [{"qty": 1}]}"#, #"$.code: "abc-1" does not match the pattern '^[A-Z]{3}-[0-9]+$'"#),
        (#"{"id": 1, "code": "AB-1", "items": [{"qty": 1}]}"#, "$.code: is 4 characters long, shorter than 5"),
        (#"{"id": 1, "items": []}"#, "$.items: has 0 items, fewer than 1"),
        (#"{"id": 1, "items": [{"qty": 0}]}"#, "$.items[0].qty: 0 is not greater than 0"),
        (#"{"id": 1, "items": [{"qty": 101}]}"#, "$.items[0].qty: 101 is greater than the maximum 100"),
        (#"{"id": 1, "items": [{}]}"#, "$.items[0]: required property 'qty' is missing"),
        (#"{"id": 1, "items": [{"qty": 1}], "extra": true}"#, "$: property 'extra' is not allowed"),
        (#"[1, 2]"#, "$: array found, object expected"),
    ])
    func invalidMessagesRunOnFailWithEveryProblem(body: String, problem: String) throws {
        let problems = try Self.problems(body)
        #expect(problems.contains(problem), "\(problems)")
    }

    @Test func draft04ExclusiveFlagsAndCombinators() throws {
        let schema = """
            {"type": "object", "properties": {
              "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 0.5},
              "tag": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
              "one": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
              "no": {"not": {"type": "null"}},
              "tuple": {"type": "array", "items": [{"type": "string"}], "additionalItems": false, "uniqueItems": true}}}
            """
        #expect(try Self.problems(#"{"n": 1.5, "tag": 3, "one": 1.5, "no": 1, "tuple": ["a"]}"#, schema: schema) == [])
        let problems = try Self.problems(#"{"n": 0, "tag": true, "one": 2, "no": null, "tuple": ["a", "a"]}"#, schema: schema)
        for expected in [
            "$.n: 0 is not greater than 0", "$.tag: matches none of the schemas of anyOf",
            "$.one: matches 2 of the schemas of oneOf, not exactly one", "$.no: matches the schema of not",
            "$.tuple[1]: no value is allowed here", "$.tuple[1]: repeats an earlier item",
        ] {
            #expect(problems.contains(expected), "\(expected) in \(problems)")
        }
        #expect(try Self.problems(#"{"n": 0.7}"#, schema: schema) == ["$.n: 0.7 is not a multiple of 0.5"])
    }

    @Test func aRecursiveSchemaValidatesNestedData() throws {
        let tree = ##"{"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}}}}"##
        #expect(try Self.problems(#"{"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}"#, schema: tree)
            == ["$.children[0].children[0].name: integer found, string expected"])
        // A schema that applies itself without descending stops with a problem instead of looping.
        let loop = ##"{"allOf": [{"$ref": "#"}]}"##
        #expect(try Self.problems("{}", schema: loop).first?.contains("nests deeper than") == true)
    }

    @Test func aSourceSelectsThePartToValidate() throws {
        let program = try Self.program(["item": #"{"type": "object", "required": ["qty"]}"#])
        let mediators = try MediatorXML.roundTrip(
            ##"<validate source="json-eval($.order.item)"><schema key="item"/><on-fail><property name="failed" value="yes"/></on-fail></validate>"##
        )
        var valid = Self.json(#"{"order": {"item": {"qty": 1}}}"#)
        try Build.run(mediators, on: &valid, program: program)
        #expect(valid[property: "failed"] == nil)
        var missing = Self.json(#"{"order": {}}"#)
        try Build.run(mediators, on: &missing, program: program)
        #expect(missing[property: "ERROR_MESSAGE"] == "Error occurred while accessing source element: json-eval($.order.item)")
    }

    @Test func xmlMessagesAgainstAJSONSchemaAreAFault() throws {
        let program = try Self.program(["order": Self.orderSchema])
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order/>")
        #expect(throws: MediationFault.self) {
            try Build.run(try MediatorXML.roundTrip(Self.validate), on: &context, program: program)
        }
    }

    @Test(arguments: [
        (#"{"$ref": "http://example.com/schemas/order.json"}"#, "points outside the schema; Sluice does not fetch schemas"),
        (##"{"properties": {"a": {"$ref": "#/definitions/none"}}}"##, "points to nothing in the schema"),
        (#"{"type": "decimal"}"#, "'type' at '#' must be one of"),
        (#"{"minLength": -1}"#, "'minLength' at '#' must be a non-negative integer"),
        (#"{"dependencies": {"a": ["b"]}}"#, "keyword 'dependencies' at '#' is not supported"),
        (#"{"pattern": "(["}"#, "is not a valid regular expression"),
        (#"{"type": "object""#, "the schema is not JSON"),
    ])
    func unusableSchemasFailToDeploy(schema: String, problem: String) throws {
        do {
            let program = try Self.program(["order": schema])
            _ = try Build.sequence(try MediatorXML.roundTrip(Self.validate), program: program)
            Issue.record("\(schema) compiled")
        } catch {
            #expect("\(error)".contains(problem), "\(error)")
        }
    }
}
