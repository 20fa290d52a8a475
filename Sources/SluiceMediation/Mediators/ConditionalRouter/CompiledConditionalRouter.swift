import Foundation
import SluiceModel

/// `<conditionalRouter>` ready to run. Each matching route's target runs in the sequence (an endpoint target is a
/// `send`); a route that does not break routing is followed by the rest of the routes, tried after its target ran.
struct CompiledConditionalRouter: CompiledMediator {
    let routes: [CompiledConditionalRoute]
    let continueAfter: Bool

    var readsBody: Bool { routes.contains { $0.condition.readsBody || $0.target.readsBody || $0.asynchronous } }
    var references: [MediationReference] {
        routes.flatMap { route -> [MediationReference] in
            guard !route.asynchronous, case .sequence(let branch) = route.target.destination else { return [] }
            return branch.references
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        try route(from: 0, &context)
    }

    /// Tries the routes from `first` on; after them the sequence stops unless `continueAfter` (Synapse returns
    /// `continueAfter` from the mediator: false ends the flow as a sequence that falls off its end).
    func route(from first: Int, _ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var index = first
        while index < routes.count {
            let route = routes[index]
            index += 1
            guard try route.condition.evaluate(&context) else { continue }
            let after: any CompiledMediator =
                route.breakRoute ? RouterEnd(continueAfter: continueAfter) : RouterResume(router: self, next: index)
            if route.asynchronous {
                return .enter([RouteCopy(target: route.target), after])
            }
            route.target.prepare(&context)
            return .enter(route.target.mediators + [after])
        }
        return continueAfter ? .proceed : .stop(.finished)
    }
}

/// A compiled `<conditionalRoute>`.
struct CompiledConditionalRoute: Sendable {
    let condition: CompiledRouteCondition
    let target: CompiledSplitTarget
    let breakRoute: Bool
    let asynchronous: Bool
}

/// Tries the routes after a route that did not break routing, once its target ran.
private struct RouterResume: CompiledMediator {
    let router: CompiledConditionalRouter
    let next: Int

    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        try router.route(from: next, &context)
    }
}

/// After the route that ended routing: go on, or stop.
private struct RouterEnd: CompiledMediator {
    let continueAfter: Bool

    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        continueAfter ? .proceed : .stop(.finished)
    }
}

/// An `asynchronous="true"` route: its target runs with a copy of the message in its own flow, as a `clone`
/// target does (Synapse hands the message to another thread), and routing goes on.
private struct RouteCopy: CompiledMediator {
    let target: CompiledSplitTarget

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var copy = context
        target.prepare(&copy)
        return .split(
            SplitPlan(messages: [(copy, target)], settings: SplitSettings(id: nil, sequential: false, continueParent: true))
        )
    }
}

extension CompiledSplitTarget {
    /// The mediators that run this target in the current flow: its sequence, or a `send` to its endpoint.
    var mediators: [any CompiledMediator] {
        switch destination {
        case .sequence(.inline(let sequence)): sequence.mediators
        case .sequence(.key(let key)): [CompiledSequenceMediator(key: key)]
        case .endpoint(let endpoint, let receive): [endpoint.sendMediator(receive: receive)]
        case .call(let endpoint): [endpoint.callMediator()]
        }
    }
}

/// A `RouteCondition` ready to evaluate.
indirect enum CompiledRouteCondition: Sendable {
    case and([CompiledRouteCondition])
    case or([CompiledRouteCondition])
    case not(CompiledRouteCondition)
    case equal(CompiledRouteSource, String)
    case match(CompiledRouteSource, SharedRegex)

    init(_ condition: RouteCondition, compilation: MediatorCompilation) throws(MediationCompileError) {
        switch condition {
        case .and(let operands):
            var compiled: [CompiledRouteCondition] = []
            for operand in operands { compiled.append(try CompiledRouteCondition(operand, compilation: compilation)) }
            self = .and(compiled)
        case .or(let operands):
            var compiled: [CompiledRouteCondition] = []
            for operand in operands { compiled.append(try CompiledRouteCondition(operand, compilation: compilation)) }
            self = .or(compiled)
        case .not(let operand):
            self = .not(try CompiledRouteCondition(operand, compilation: compilation))
        case .equal(let source, let value):
            self = .equal(try CompiledRouteSource(source, compilation: compilation), value)
        case .match(let source, let regex):
            self = .match(try CompiledRouteSource(source, compilation: compilation), try compilation.regex(regex))
        }
    }

    var readsBody: Bool {
        switch self {
        case .and(let operands), .or(let operands): operands.contains(where: \.readsBody)
        case .not(let operand): operand.readsBody
        case .equal(let source, _), .match(let source, _): source.readsBody
        }
    }

    /// - Parameter url: The URL `url` and `param` sources read instead of the message's `To` (the URL a `rewrite`
    ///   rule is rewriting).
    func evaluate(_ context: inout MessageContext, url: String? = nil) throws(MediationFault) -> Bool {
        switch self {
        case .and(let operands):
            for operand in operands where !(try operand.evaluate(&context, url: url)) { return false }
            return true
        case .or(let operands):
            for operand in operands where try operand.evaluate(&context, url: url) { return true }
            return false
        case .not(let operand):
            return !(try operand.evaluate(&context, url: url))
        case .equal(let source, let value):
            // Java `equalsIgnoreCase`; an absent source is never equal.
            guard let text = try source.text(&context, url: url) else { return false }
            return text.caseInsensitiveCompare(value) == .orderedSame
        case .match(let source, let regex):
            guard let text = try source.text(&context, url: url) else { return false }
            return regex.matches(text)
        }
    }
}

/// A `RouteSource` ready to read.
enum CompiledRouteSource: Sendable {
    case header(String)
    case param(String)
    case url(RouteSource.URLPart?)
    case property(String)
    case soap(CompiledExpression)

    init(_ source: RouteSource, compilation: MediatorCompilation) throws(MediationCompileError) {
        switch source {
        case .header(let name): self = .header(name)
        case .param(let name): self = .param(name)
        case .url(let part): self = .url(part)
        case .property(let name): self = .property(name)
        case .soap(let xpath): self = .soap(try compilation.expression(xpath))
        }
    }

    var readsBody: Bool {
        if case .soap(let xpath) = self { return xpath.readsBody }
        return false
    }

    /// The source's text, nil when the message has none; `url` replaces the message's URL for `url` and `param`.
    func text(_ context: inout MessageContext, url override: String? = nil) throws(MediationFault) -> String? {
        switch self {
        case .header(let name): return context.headers.first(name: name)
        case .param(let name):
            guard let override else { return context.queryParameter(name) }
            return URLComponents(string: override)?.queryItems?.first { $0.name == name }?.value
        case .property(let name): return context[property: name]?.stringValue
        case .soap(let xpath): return try xpath.string(&context)
        case .url(let part):
            let url = override ?? Self.url(of: context)
            guard let part else { return url }
            // Java's `URI` getters: parts a relative URL lacks are null (the port -1); path and query are decoded.
            guard let components = URLComponents(string: url) else {
                throw MediationFault.mediatorFailed("conditionalRouter", "the URL '\(url)' does not parse")
            }
            switch part {
            case .protocol: return components.scheme
            case .user: return components.user
            case .host: return components.host
            case .port: return String(components.port ?? -1)
            case .path: return components.path
            case .query: return components.query
            case .ref: return components.fragment
            }
        }
    }

    /// Synapse's `To` address: the WS-Addressing `To` when one was set, else the request URI as the client sent it.
    static func url(of context: MessageContext) -> String {
        if let to = context.addressing.to { return to }
        guard let query = context.query else { return context.requestPath }
        return context.requestPath + "?" + query
    }
}
