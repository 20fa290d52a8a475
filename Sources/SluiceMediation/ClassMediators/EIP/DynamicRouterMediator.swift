import SluiceModel

/// Apache Synapse's `DynamicRouterMediator`, the `dynamic_router` function of the EIP library: a
/// `conditionalRouter` built from the calling template's `conditions` parameter, in which every route whose
/// condition holds runs its sequence, in order (no route breaks routing), and the template goes on after them.
///
/// `conditions` is `condition;seq=name` routes separated by `,`. A condition is one `header=name:regex`,
/// `url=regex` or `url=part:regex` match (`part` one of Java `URI`'s protocol, user, host, port, path, query,
/// ref), or several joined by `{AND}` or by `{OR}` (not both). Regexes match the whole text. The parts are cut
/// as Java's `String.split` cuts them, so a regex cannot hold `,`, `;`, `=` or `:`. Synapse's messages for bad
/// routes are the faults' messages ("Conditional Route is not defined", "Target Sequence has defined wrong"...).
struct DynamicRouterMediator: CompiledMediator {
    private let plans = EIPPlanCache<[CompiledConditionalRoute]>()

    /// A condition may read headers only, but the sequences chosen may read anything.
    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        guard let conditions = try EIPLibraryMediators.text("conditions", in: context) else {
            throw EIPLibraryMediators.fault("the template parameter 'conditions' has no value")
        }
        let routes = try plans.plan(for: conditions, build: Self.routes)
        // Synapse's router is set not to continue after routing, but the library mediator returns true whatever
        // the router answers: the template goes on.
        return try CompiledConditionalRouter(routes: routes, continueAfter: true).mediate(&context)
    }

    /// The routes `conditions` describes.
    static func routes(_ conditions: String) throws(MediationFault) -> [CompiledConditionalRoute] {
        var routes: [CompiledConditionalRoute] = []
        for text in EIPLibraryMediators.javaSplit(conditions, by: ",") {
            let trimmed = text.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            routes.append(try route(trimmed))
        }
        return routes
    }

    private static func route(_ text: String) throws(MediationFault) -> CompiledConditionalRoute {
        let definitions = EIPLibraryMediators.javaSplit(text, by: ";")
        guard definitions.count >= 2 else { throw EIPLibraryMediators.fault("Conditional Route is not defined") }
        let condition = definitions[0].trimmingWhitespace()
        guard !condition.isEmpty else { throw EIPLibraryMediators.fault("Routing condition can not be empty") }
        guard !definitions[1].trimmingWhitespace().isEmpty else {
            throw EIPLibraryMediators.fault("Routing Target can not be empty")
        }
        return CompiledConditionalRoute(
            condition: try self.condition(condition),
            target: CompiledSplitTarget(destination: .sequence(.key(try sequence(definitions[1]))), soapAction: nil, to: nil),
            breakRoute: false,
            asynchronous: false
        )
    }

    private static func condition(_ text: String) throws(MediationFault) -> CompiledRouteCondition {
        switch (text.contains("{AND}"), text.contains("{OR}")) {
        case (false, false): return try match(text)
        case (true, false): return .and(try operands(text, separator: "{AND}", name: "And"))
        case (false, true): return .or(try operands(text, separator: "{OR}", name: "Or"))
        case (true, true): throw EIPLibraryMediators.fault("Routing condition is wrong")
        }
    }

    private static func operands(_ text: String, separator: String, name: String) throws(MediationFault) -> [CompiledRouteCondition] {
        var operands: [CompiledRouteCondition] = []
        for part in EIPLibraryMediators.javaSplit(text, by: separator) where !part.trimmingWhitespace().isEmpty {
            operands.append(try match(part.trimmingWhitespace()))
        }
        guard operands.count > 1 else {
            throw EIPLibraryMediators.fault("Two or more expressions should be provided under \(name)")
        }
        return operands
    }

    /// `header=name:regex`, `url=regex` or `url=part:regex`.
    private static func match(_ text: String) throws(MediationFault) -> CompiledRouteCondition {
        let elements = EIPLibraryMediators.javaSplit(text, by: "=")
        guard elements.count >= 2 else {
            throw EIPLibraryMediators.fault("Routing condition '\(text)' has no '=' between the evaluator and its match")
        }
        let evaluator = elements[0].trimmingWhitespace()
        let configuration = elements[1].trimmingWhitespace()
        let parameters = EIPLibraryMediators.javaSplit(configuration, by: ":")
        let source: CompiledRouteSource
        let regexText: String
        switch parameters.count {
        case 1 where evaluator == "url":
            source = .url(nil)
            regexText = parameters[0].trimmingWhitespace()
        case 1:
            // Synapse builds a match with no text to read, which fails on the first message.
            throw EIPLibraryMediators.fault("Unsupported evaluator:\(evaluator) without a source (write \(evaluator)=source:regex)")
        case 2:
            let name = parameters[0].trimmingWhitespace()
            regexText = parameters[1].trimmingWhitespace()
            switch evaluator {
            case "header":
                source = .header(name)
            case "url":
                guard let part = RouteSource.URLPart(rawValue: name) else {
                    throw EIPLibraryMediators.fault(
                        "No enum constant org.apache.synapse.commons.evaluators.EvaluatorConstants.URI_FRAGMENTS.\(name)"
                    )
                }
                source = .url(part)
            default:
                throw EIPLibraryMediators.fault("Unsupported evaluator:\(evaluator)")
            }
        default:
            throw EIPLibraryMediators.fault("Unsupported condition\(configuration)")
        }
        do {
            return .match(source, try SharedRegex(regexText, location: nil))
        } catch {
            throw EIPLibraryMediators.fault("Invalid regular expression '\(regexText)' in the routing condition '\(text)'")
        }
    }

    /// `seq=name`: the only target type the library takes.
    private static func sequence(_ text: String) throws(MediationFault) -> String {
        let elements = EIPLibraryMediators.javaSplit(text, by: "=")
        guard elements.count >= 2, elements[0].trimmingWhitespace().lowercased() == "seq" else {
            throw EIPLibraryMediators.fault("Target Sequence has defined wrong")
        }
        return elements[1].trimmingWhitespace()
    }
}
