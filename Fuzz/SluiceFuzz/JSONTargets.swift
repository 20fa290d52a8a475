import SluiceMediation

/// The mediation runtime's JSON parser and JSONPath (payloads, `json-eval`, enrich).
enum JSONTargets {
    static let parser = FuzzTarget(
        name: "json",
        summary: "JSON parser, then writing the value back and parsing that",
        run: { bytes in
            guard let value = try? JSONParser.parse(bytes) else { return }
            var text = ""
            value.write(to: &text)
            _ = try? JSONParser.parse(text)
            _ = value.textValue
        }
    )

    static let path = FuzzTarget(
        name: "jsonpath",
        summary: "JSONPath expression (first line) evaluated on a JSON document (the rest)",
        run: { bytes in
            let (expression, document) = FuzzTarget.split(bytes)
            guard let path = try? JSONPath(expression) else { return }
            let root = (try? JSONParser.parse(document)) ?? .null
            _ = path.select(in: root)
            _ = path.evaluate(in: root)
            _ = path.isDefinite
        }
    )
}
