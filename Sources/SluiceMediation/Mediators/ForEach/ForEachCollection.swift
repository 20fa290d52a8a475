import SluiceModel
internal import SluiceXML

/// The settings of WSO2 Micro Integrator 4.4's `foreach` form: `<foreach collection="${...}" [parallel-execution=]
/// [update-original=] [target-variable= result-content-type= [result-enclosing-element=]] [counter-variable=]
/// [continue-without-aggregation=]><sequence>...</sequence></foreach>`. Each element of the collection becomes a
/// message of its own running the sequence (the collection form may call backends); the results replace the
/// collection in the original message, or go into a variable, and the original message goes on.
public struct ForEachCollection: Sendable, Hashable {
    public var parallelExecution: Bool
    public var result: Result
    /// The variable holding the iteration's index (sequential execution only).
    public var counterVariable: String?

    public enum Result: Sendable, Hashable {
        /// `update-original="true"` (the default): each element is replaced by its iteration's payload.
        case updateOriginal
        /// `update-original="false"`: the payloads gathered into a variable, as a JSON array or under a root.
        case variable(String, ScatterGatherMediator.ResultContentType)
        /// `continue-without-aggregation="true"`: the iterations run on their own and the original goes on now.
        case continueWithoutAggregation
    }

    public init(parallelExecution: Bool = true, result: Result = .updateOriginal, counterVariable: String? = nil) {
        self.parallelExecution = parallelExecution
        self.result = result
        self.counterVariable = counterVariable
    }

    /// Reads the collection form's attributes (ForEachMediatorFactory's `createForEachMediatorV2`).
    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> ForEachCollection? {
        let parallel = element.attribute("parallel-execution") != "false"
        var result = Result.updateOriginal
        if element.attribute("continue-without-aggregation")?.lowercased() == "true" {
            result = .continueWithoutAggregation
        } else if element.attribute("update-original") == "false" {
            let name = element.attribute("target-variable").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            switch (element.attribute("result-content-type"), name) {
            case ("JSON", let name?):
                result = .variable(name, .json)
            case ("XML", let name?):
                guard let root = element.attribute("result-enclosing-element"), !root.allSatisfy(\.isWhitespace) else {
                    reader.report("<foreach result-content-type=\"XML\"> needs a 'result-enclosing-element' attribute", at: element)
                    return nil
                }
                result = .variable(name, .xml(rootElement: root))
            case (let type?, _?):
                reader.report("'result-content-type' of <foreach> must be JSON or XML, not '\(type)'", at: element)
                return nil
            default:
                reader.report(
                    "<foreach update-original=\"false\"> needs 'result-content-type' and 'target-variable' attributes",
                    at: element
                )
                return nil
            }
        }
        let counter = element.attribute("counter-variable").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        if counter != nil && parallel {
            reader.report("'counter-variable' of <foreach> is not allowed when parallel-execution is true", at: element)
            return nil
        }
        return ForEachCollection(parallelExecution: parallel, result: result, counterVariable: counter)
    }

    /// Writes `<foreach collection=...>` with these settings (defaults omitted) around `content`.
    func write(collection: SynapseExpression, to writer: XMLWriter, content: () -> Void) {
        var variable: String?
        var type: String?
        var root: String?
        if case .variable(let name, let contentType) = result {
            variable = name
            switch contentType {
            case .json: type = "JSON"
            case .xml(let element):
                type = "XML"
                root = element
            }
        }
        writer.element(
            "foreach",
            [
                "collection": collection.source,
                "parallel-execution": parallelExecution ? nil : "false",
                "continue-without-aggregation": result == .continueWithoutAggregation ? "true" : nil,
                "update-original": variable == nil ? nil : "false",
                "target-variable": variable,
                "result-content-type": type,
                "result-enclosing-element": root,
                "counter-variable": counterVariable,
            ],
            namespaces: collection.namespaces,
            content: content
        )
    }
}
