package import SluiceModel

extension APISourceValidator {
    /// The handlers an edited source may not drop: they enforce what the API's definition promises.
    static let guardingHandlers: [(suffix: String, purpose: String)] = [
        ("security.APIAuthenticationHandler", "authentication"),
        ("throttling.ThrottleHandler", "throttling"),
        ("analytics.APIMgtUsageHandler", "usage statistics"),
    ]

    /// Checks that an edited source keeps the protection the API's definition gives it in `state`: the handlers
    /// the generated artifact has for authentication (when any resource needs it), throttling and usage, and, for
    /// each resource, no weaker auth type and no other scopes than the definition's.
    ///
    /// Without this, a source could drop `APIAuthenticationHandler` (or mark a resource `auth-type="None"`) and
    /// serve a published API to anyone.
    /// - Parameters:
    ///   - api: The parsed source (from ``validate(_:for:)``).
    ///   - definition: The API's definition.
    ///   - state: The state the source is deployed in.
    /// - Throws: ``APISourceError`` naming each missing handler and weakened resource.
    package func checkHandlerChain(
        _ api: SynapseAPI,
        for definition: APIDefinition,
        in state: APILifecycleState
    ) throws(APISourceError) {
        let generated: SynapseAPI
        do {
            generated = try builder.api(for: definition, status: state)
        } catch {
            // A definition that cannot be deployed yet has no chain to compare with; deploying it will refuse.
            return
        }
        let location = api.location.map { (max($0.line, 1), max($0.column, 1)) } ?? (1, 1)
        var problems: [APISourceError.Problem] = []
        let present = Set(api.handlers.map(\.className))
        let needsAuthentication = generated.resources.contains { Self.requiresAuthentication($0) }
        for (suffix, purpose) in Self.guardingHandlers {
            let className = APITemplateBuilder.handlerPackage + suffix
            guard generated.handlers.contains(where: { $0.className == className }), !present.contains(className)
            else { continue }
            if purpose == "authentication" && !needsAuthentication { continue }
            problems.append(
                APISourceError.Problem(
                    line: location.0,
                    column: location.1,
                    message: "the <handlers> must keep \(className): the API's definition requires \(purpose)"
                )
            )
        }
        for resource in api.resources {
            let place = resource.location.map { (max($0.line, 1), max($0.column, 1)) } ?? location
            let matching = generated.resources.filter { Self.overlaps($0, resource) }
            let required = matching.filter(Self.requiresAuthentication)
            if !Self.requiresAuthentication(resource) && (matching.isEmpty || !required.isEmpty) {
                problems.append(
                    APISourceError.Problem(
                        line: place.0,
                        column: place.1,
                        message: "the resource \(Self.label(resource)) must keep authentication: "
                            + "auth-type=\"None\" is allowed only where the API's definition says None"
                    )
                )
            }
            for declared in required where !declared.scopes.isEmpty {
                let kept = !resource.scopes.isEmpty && Set(resource.scopes).isSubset(of: declared.scopes)
                guard !kept else { continue }
                problems.append(
                    APISourceError.Problem(
                        line: place.0,
                        column: place.1,
                        message: "the resource \(Self.label(resource)) must keep the scopes "
                            + "\"\(declared.scopes.joined(separator: " "))\" of the API's definition"
                    )
                )
            }
        }
        guard problems.isEmpty else { throw APISourceError(problems: problems) }
    }

    private static func requiresAuthentication(_ resource: APIResource) -> Bool {
        resource.authType != "None"
    }

    /// Whether two resources take some of the same requests: the same path pattern and a method in common.
    private static func overlaps(_ generated: APIResource, _ edited: APIResource) -> Bool {
        guard generated.dispatcher == edited.dispatcher else { return false }
        return generated.methods.isEmpty || edited.methods.isEmpty
            || !Set(generated.methods).isDisjoint(with: edited.methods)
    }

    private static func label(_ resource: APIResource) -> String {
        let methods = resource.methods.isEmpty ? "*" : resource.methods.joined(separator: " ")
        let path: String =
            switch resource.dispatcher {
            case .uriTemplate(let template): "\(template)"
            case .urlMapping(let mapping): "\(mapping)"
            case .none: "(every path)"
            }
        return "\(methods) \(path)"
    }
}
