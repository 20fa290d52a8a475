public import SluiceModel
internal import SluiceXML

/// `<conditionalRouter [continueAfter=]><conditionalRoute [breakRoute=] [asynchronous=]><condition>...</condition>
/// <target .../></conditionalRoute>+</conditionalRouter>`: Synapse's conditional router. Routes are tried in order;
/// a route whose condition holds runs its target (a sequence, or an endpoint the message is sent to) and, unless
/// `breakRoute="false"`, ends the routing. Afterwards the sequence goes on only with `continueAfter="true"`.
public struct ConditionalRouterMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "conditionalRouter"

    public var routes: [ConditionalRoute]
    /// Go on with the mediator after the router (Synapse's default: stop).
    public var continueAfter: Bool

    public init(routes: [ConditionalRoute], continueAfter: Bool = false) {
        self.routes = routes
        self.continueAfter = continueAfter
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ConditionalRouterMediator? {
        reader.ignoreText(in: element)
        var routes: [ConditionalRoute] = []
        var ok = true
        for child in element.childElements {
            guard reader.isSynapse(child, named: "conditionalRoute") else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            if let route = ConditionalRoute.read(child, reader: reader) { routes.append(route) } else { ok = false }
        }
        if routes.isEmpty && ok {
            reader.report("<conditionalRouter> needs at least one <conditionalRoute>", at: element)
            ok = false
        }
        let continueAfter = reader.flag("continueAfter", of: element, default: false)
        guard ok else { return nil }
        return ConditionalRouterMediator(routes: routes, continueAfter: continueAfter)
    }

    func write(to writer: XMLWriter) {
        writer.element("conditionalRouter", ["continueAfter": continueAfter ? "true" : nil]) {
            for route in routes { route.write(to: writer) }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        var compiled: [CompiledConditionalRoute] = []
        for route in routes { compiled.append(try route.compile(&compilation)) }
        return CompiledConditionalRouter(routes: compiled, continueAfter: continueAfter)
    }
}

/// One `<conditionalRoute>`.
public struct ConditionalRoute: Sendable, Hashable {
    public var condition: RouteCondition
    public var target: SplitTarget
    /// Stop trying routes after this one matched (default true).
    public var breakRoute: Bool
    /// Run the target with a copy of the message in its own flow while routing goes on.
    public var asynchronous: Bool

    public init(condition: RouteCondition, target: SplitTarget, breakRoute: Bool = true, asynchronous: Bool = false) {
        self.condition = condition
        self.target = target
        self.breakRoute = breakRoute
        self.asynchronous = asynchronous
    }

    static func read(_ element: XMLElementNode, reader: ArtifactReader) -> ConditionalRoute? {
        reader.ignoreText(in: element)
        var condition: RouteCondition?
        var target: SplitTarget?
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "condition"), condition == nil {
                condition = RouteCondition.readCondition(child, reader: reader)
                if condition == nil { ok = false }
            } else if reader.isSynapse(child, named: "target"), target == nil {
                target = SplitTarget.read(child, reader: reader)
                if target == nil { ok = false }
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        let breakRoute = reader.flag("breakRoute", of: element, default: true)
        let asynchronous = reader.flag("asynchronous", of: element, default: false)
        guard ok else { return nil }
        guard let condition, let target else {
            reader.report("<conditionalRoute> needs a <condition> and a <target>", at: element)
            return nil
        }
        return ConditionalRoute(condition: condition, target: target, breakRoute: breakRoute, asynchronous: asynchronous)
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "conditionalRoute",
            ["breakRoute": breakRoute ? nil : "false", "asynchronous": asynchronous ? "true" : nil]
        ) {
            writer.element("condition") { condition.write(to: writer) }
            target.write(to: writer)
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> CompiledConditionalRoute {
        CompiledConditionalRoute(
            condition: try CompiledRouteCondition(condition, compilation: compilation),
            target: try target.compile(&compilation),
            breakRoute: breakRoute,
            asynchronous: asynchronous
        )
    }
}

extension MediatorNode {
    /// A `<conditionalRouter>` node.
    public static func conditionalRouter(_ mediator: ConditionalRouterMediator) -> MediatorNode { MediatorNode(mediator) }
}
