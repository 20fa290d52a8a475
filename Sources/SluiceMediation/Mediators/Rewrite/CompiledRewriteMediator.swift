import Foundation
import SluiceModel

/// `<rewrite>` ready to run (see `RewriteMediator`), following Synapse's `URLRewriteMediator`, `RewriteRule` and
/// `RewriteAction` rule for rule.
struct CompiledRewriteMediator: CompiledMediator {
    struct Rule: Sendable {
        let condition: CompiledRouteCondition?
        let actions: [Action]
    }

    struct Action: Sendable {
        let type: RewriteMediator.ActionType
        let fragment: RewriteMediator.Fragment
        let value: CompiledValue?
        let regex: SharedRegex?
        let resolve: Bool
    }

    let inProperty: String?
    let outProperty: String?
    let rules: [Rule]

    init(_ node: RewriteMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        inProperty = node.inProperty
        outProperty = node.outProperty
        var rules: [Rule] = []
        for rule in node.rules {
            var actions: [Action] = []
            for action in rule.actions {
                actions.append(
                    Action(
                        type: action.type,
                        fragment: action.fragment,
                        value: try action.value.map { source throws(MediationCompileError) in try compilation.value(source) },
                        regex: try action.regex.map { text throws(MediationCompileError) in try compilation.regex(text) },
                        resolve: action.resolve
                    )
                )
            }
            let condition = try rule.condition.map { condition throws(MediationCompileError) in
                try CompiledRouteCondition(condition, compilation: compilation)
            }
            rules.append(Rule(condition: condition, actions: actions))
        }
        self.rules = rules
    }

    var readsBody: Bool {
        rules.contains { rule in
            (rule.condition?.readsBody ?? false) || rule.actions.contains { $0.value?.readsBody ?? false }
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let input = inProperty.map { context[property: $0]?.stringValue } ?? CompiledRouteSource.url(of: context)
        var fragments = URLFragments()
        if let input {
            guard let parsed = URLFragments(parsing: input) else {
                throw MediationFault.mediatorFailed("rewrite", "Malformed input URI: \(input)")
            }
            fragments = parsed
        }
        for rule in rules {
            if let condition = rule.condition {
                guard let current = fragments.text else { throw Self.unbuildable(fragments) }
                // Synapse skips a rule whose condition cannot be evaluated.
                guard (try? condition.evaluate(&context, url: current)) == true else { continue }
            }
            for action in rule.actions { try run(action, on: &fragments, context: &context) }
        }
        guard let output = fragments.text else { throw Self.unbuildable(fragments) }
        if let outProperty {
            context[property: outProperty] = .string(output)
        } else {
            context.addressing.to = output
        }
        return .proceed
    }

    private static func unbuildable(_ fragments: URLFragments) -> MediationFault {
        .mediatorFailed("rewrite", "Error while constructing a URI from the fragments \(fragments)")
    }

    private func run(_ action: Action, on fragments: inout URLFragments, context: inout MessageContext) throws(MediationFault) {
        let result = try action.value?.string(&context)
        switch action.fragment {
        case .full:
            // The whole URL is replaced whatever the type, as in Synapse.
            guard let parsed = URLFragments(parsing: result ?? "") else {
                throw MediationFault.mediatorFailed("rewrite", "Malformed URI: \(result ?? "")")
            }
            fragments = parsed
            return
        case .port:
            guard let result else {
                fragments.port = -1
                return
            }
            guard let port = Int(result) else {
                throw MediationFault.mediatorFailed("rewrite", "the port '\(result)' is not a number")
            }
            fragments.port = port
            return
        default:
            break
        }
        let current = fragments[action.fragment] ?? ""
        var text: String?
        switch action.type {
        case .set:
            text = result
        case .prepend:
            guard let result else { text = ""; break }
            text = action.fragment == .query && !current.isEmpty ? result + "&" + current : result + current
        case .append:
            guard let result else { text = ""; break }
            text = action.fragment == .query && !current.isEmpty ? current + "&" + result : current + result
        case .replace:
            guard let result, let regex = action.regex else { text = ""; break }
            text = regex.replacingAll(in: current, with: result)
        case .remove:
            text = nil
        case .removeQueryParameter:
            text = try Self.removingQueryParameter(result ?? "", from: current)
        }
        if action.resolve, let unresolved = text { text = Self.resolve(unresolved, context: context) }
        fragments[action.fragment] = text
    }

    /// Drops the first `&`-separated part in which `name=` occurs (Synapse's `remove-query-param`).
    private static func removingQueryParameter(_ name: String, from query: String) throws(MediationFault) -> String {
        guard !query.isEmpty else { return "" }
        let pattern: Regex<AnyRegexOutput>
        do {
            pattern = try Regex(name + "=.*")
        } catch {
            throw MediationFault.mediatorFailed("rewrite", "'\(name)' is not a usable query parameter pattern")
        }
        var parts = query.split(separator: "&", omittingEmptySubsequences: false).map(String.init)
        if let index = parts.firstIndex(where: { $0.firstMatch(of: pattern) != nil }) { parts.remove(at: index) }
        return parts.joined(separator: "&")
    }

    /// `{name}` replaced by the property `name`; a name without a value empties the whole fragment (Synapse logs
    /// "Path parameter … was not found" and does the same).
    private static func resolve(_ text: String, context: MessageContext) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            guard !name.contains("{"), let value = context[property: name]?.stringValue, !value.isEmpty else {
                context.logger.error("Path parameter '\(name)' was not found in the provided URL postfix")
                return ""
            }
            output += rest[..<open] + value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}

/// A URL split as Java's `URI` splits it (scheme, user info, host, port, path, query, fragment; path, query and
/// fragment decoded), put back together as `new URI(scheme, userInfo, host, port, path, query, fragment)`
/// writes it (characters a part may not hold percent-encoded).
struct URLFragments: Sendable, CustomStringConvertible {
    private var parts: [RewriteMediator.Fragment: String] = [:]
    var port = -1

    init() {}

    init?(parsing text: String) {
        guard let components = URLComponents(string: text) else { return nil }
        parts[.protocol] = components.scheme
        parts[.user] = components.percentEncodedUser.map { user in
            components.percentEncodedPassword.map { user + ":" + $0 } ?? user
        }
        parts[.host] = components.host
        parts[.path] = components.path.isEmpty ? nil : components.path
        parts[.query] = components.query
        parts[.ref] = components.fragment
        port = components.port ?? -1
    }

    subscript(fragment: RewriteMediator.Fragment) -> String? {
        get { parts[fragment] }
        set { parts[fragment] = newValue }
    }

    /// The URL, or nil when its parts make none (a host with a relative path).
    var text: String? {
        var components = URLComponents()
        components.scheme = parts[.protocol]
        if let user = parts[.user] {
            let pair = user.split(separator: ":", maxSplits: 1).map(String.init)
            components.percentEncodedUser = pair[0]
            if pair.count == 2 { components.percentEncodedPassword = pair[1] }
        }
        components.host = parts[.host]
        components.port = port >= 0 ? port : nil
        components.path = parts[.path] ?? ""
        components.query = parts[.query]
        components.fragment = parts[.ref]
        return components.string
    }

    var description: String {
        RewriteMediator.Fragment.allCases.compactMap { fragment in
            fragment == .port ? (port >= 0 ? "port=\(port)" : nil) : parts[fragment].map { "\(fragment.rawValue)=\($0)" }
        }.joined(separator: ", ")
    }
}
