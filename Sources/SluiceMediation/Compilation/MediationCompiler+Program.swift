import SluiceModel

extension MediationCompiler {
    /// Compiles the named artifacts of a set of artifacts (APIs are compiled separately with `compile(api:in:)`).
    public func compileProgram(_ artifacts: SynapseArtifacts) throws(MediationCompileError) -> MediationProgram {
        try compileProgram(
            sequences: artifacts.sequences,
            endpoints: artifacts.endpoints,
            localEntries: artifacts.localEntries,
            templates: artifacts.templates
        )
    }

    /// Compiles named sequences, endpoints, local entries and templates into a program.
    /// - Parameters:
    ///   - sequences: Named sequences (later ones with the same name win).
    ///   - endpoints: Named endpoints (each with a `name`).
    ///   - localEntries: Local entries; one holding a `<sequence>` or `<endpoint>` is also a named sequence or
    ///     endpoint under its key.
    ///   - templates: Sequence and endpoint templates (later ones with the same name win).
    /// - Throws: `MediationCompileError` for the first broken mediator or endpoint (a key nothing defines is not
    ///   one: it is listed in the program's `unresolvedReferences` and faults when a message reaches it).
    public func compileProgram(
        sequences: [SequenceDefinition],
        endpoints: [EndpointDefinition],
        localEntries: [LocalEntry] = [],
        templates: [SynapseTemplate] = []
    ) throws(MediationCompileError) -> MediationProgram {
        var sequences = sequences
        var endpoints = endpoints
        var entries: [String: LocalEntry.Content] = [:]
        for entry in localEntries {
            entries[entry.key] = entry.content
            switch entry.content {
            case .sequence(var sequence):
                sequence.name = entry.key
                sequences.append(sequence)
            case .endpoint(var endpoint):
                endpoint.name = entry.key
                endpoints.append(endpoint)
            case .text, .xml:
                break
            }
        }
        try Self.checkKeysAreUnique(localEntries, sequences: sequences, endpoints: endpoints)

        var endpointTemplates: [String: SynapseTemplate] = [:]
        var sequenceTemplates: [String: (SynapseTemplate, SequenceDefinition)] = [:]
        for template in templates {
            switch template.body {
            case .endpoint: endpointTemplates[template.name] = template
            case .sequence(let body): sequenceTemplates[template.name] = (template, body)
            }
        }

        var definitions: [String: EndpointDefinition] = [:]
        for endpoint in endpoints {
            guard let name = endpoint.name else {
                throw MediationCompileError(.unsupported("a top-level endpoint without a name"), location: endpoint.location)
            }
            definitions[name] = endpoint
        }
        var resolver = EndpointResolver(
            definitions: definitions,
            templates: endpointTemplates,
            networkSources: networkSources
        )
        for name in definitions.keys.sorted() {
            _ = try resolver.resolveNamed(name, location: definitions[name]?.location)
        }

        var unresolved = resolver.unresolved
        let localEntryTable = LocalEntryTable(entries)
        let scope = MediatorCompilation.Scope(
            sequenceNames: Set(sequences.map(\.name)),
            templateNames: Set(sequenceTemplates.keys),
            endpoints: resolver.resolved,
            endpointTemplates: endpointTemplates,
            localEntries: localEntryTable
        )
        var compiledSequences: [String: (mediators: [any CompiledMediator], definition: SequenceDefinition)] = [:]
        for definition in sequences {
            compiledSequences[definition.name] = (try compile(definition, scope: scope, unresolved: &unresolved), definition)
        }
        var compiledTemplates: [String: (mediators: [any CompiledMediator], template: SynapseTemplate)] = [:]
        for (name, (template, body)) in sequenceTemplates {
            var located = body
            located.location = body.location ?? template.location
            compiledTemplates[name] = (try compile(located, scope: scope, unresolved: &unresolved), template)
        }

        let readsBody = Self.readsBody(
            sequences: compiledSequences.mapValues(\.mediators),
            templates: compiledTemplates.mapValues(\.mediators),
            // A `{{path}}` default is evaluated over the message whenever `$func:` reads it.
            readingTemplates: Set(
                compiledTemplates.filter { $0.value.template.hasPathDefault }.keys.map { MediationReference.template($0) }
            )
        )
        var programSequences: [String: CompiledSequence] = [:]
        for (name, entry) in compiledSequences {
            programSequences[name] = CompiledSequence(
                name: name,
                mediators: entry.mediators,
                onError: entry.definition.onError,
                location: entry.definition.location,
                readsBody: readsBody.contains(.sequence(name))
            )
        }
        var programTemplates: [String: CompiledTemplate] = [:]
        for (name, entry) in compiledTemplates {
            programTemplates[name] = try compiledTemplate(
                entry.template,
                mediators: entry.mediators,
                readsBody: readsBody.contains(.template(name))
            )
        }
        return MediationProgram(
            sequences: programSequences,
            endpoints: resolver.resolved,
            templates: programTemplates,
            endpointTemplates: endpointTemplates,
            localEntries: localEntryTable,
            unresolvedReferences: unresolved
        )
    }

    // MARK: - Private

    private func compile(
        _ definition: SequenceDefinition,
        scope: MediatorCompilation.Scope,
        unresolved: inout [MediationCompileError]
    ) throws(MediationCompileError) -> [any CompiledMediator] {
        var compilation = MediatorCompilation(
            location: definition.location,
            classMediators: classMediators,
            throttleCounters: handlers.throttleCounters,
            databases: databases,
            networkSources: networkSources,
            scope: scope
        )
        // Synapse warns about an onError naming no sequence and runs without it: a fault goes to the enclosing
        // handler (`SequenceExecution.faultSequence` skips a name not deployed).
        if let onError = definition.onError { compilation.referSequence(onError) }
        let mediators = try compilation.compile(definition.mediators)
        unresolved += compilation.unresolved
        return mediators
    }

    private func compiledTemplate(
        _ template: SynapseTemplate,
        mediators: [any CompiledMediator],
        readsBody: Bool
    ) throws(MediationCompileError) -> CompiledTemplate {
        guard case .sequence(let body) = template.body else { preconditionFailure("only sequence templates run") }
        var parameters: [CompiledTemplate.Parameter] = []
        for parameter in template.parameters {
            var defaultValue: CompiledTemplateArgument?
            if let text = parameter.defaultValue {
                let argument: TemplateArgument
                do {
                    argument = try TemplateArgument(text, namespaces: parameter.defaultNamespaces)
                } catch {
                    throw MediationCompileError(.invalidExpression(text, reason: error.reason), location: template.location)
                }
                defaultValue = try CompiledTemplateArgument(argument, location: template.location)
            }
            parameters.append(
                CompiledTemplate.Parameter(
                    name: parameter.name,
                    defaultValue: defaultValue,
                    isMandatory: parameter.isMandatory ?? false
                )
            )
        }
        return CompiledTemplate(
            name: template.name,
            readsBody: readsBody,
            parameters: parameters,
            mediators: mediators,
            onError: body.onError
        )
    }

    /// Named sequences and templates that read the body, themselves or through what they run; iterated to a fixed
    /// point because they may refer to each other in any order.
    private static func readsBody(
        sequences: [String: [any CompiledMediator]],
        templates: [String: [any CompiledMediator]],
        readingTemplates: Set<MediationReference>
    ) -> Set<MediationReference> {
        var all: [MediationReference: [any CompiledMediator]] = [:]
        for (name, mediators) in sequences { all[.sequence(name)] = mediators }
        for (name, mediators) in templates { all[.template(name)] = mediators }
        var reading = Set(all.filter { $0.value.anyReadsBody }.keys).union(readingTemplates)
        var changed = true
        while changed {
            changed = false
            for (reference, mediators) in all where !reading.contains(reference) {
                if mediators.allReferences.contains(where: reading.contains) {
                    reading.insert(reference)
                    changed = true
                }
            }
        }
        return reading
    }

    /// A local entry's key must not also name a sequence or endpoint: Synapse keeps them in one registry.
    private static func checkKeysAreUnique(
        _ localEntries: [LocalEntry],
        sequences: [SequenceDefinition],
        endpoints: [EndpointDefinition]
    ) throws(MediationCompileError) {
        var names: [String: Int] = [:]
        for sequence in sequences { names[sequence.name, default: 0] += 1 }
        for endpoint in endpoints { if let name = endpoint.name { names[name, default: 0] += 1 } }
        for entry in localEntries {
            let count = names[entry.key] ?? 0
            // An entry holding a sequence or endpoint was counted once already, under its own key.
            let own: Int
            switch entry.content {
            case .sequence, .endpoint: own = 1
            case .text, .xml: own = 0
            }
            if count > own { throw MediationCompileError(.duplicateKey(entry.key), location: entry.location) }
        }
    }
}

extension SynapseTemplate {
    /// True when a parameter's default is a `{{path}}`.
    fileprivate var hasPathDefault: Bool {
        parameters.contains { parameter in
            guard let text = parameter.defaultValue else { return false }
            if case .path? = try? TemplateArgument(text, namespaces: [:]) { return true }
            return false
        }
    }
}
