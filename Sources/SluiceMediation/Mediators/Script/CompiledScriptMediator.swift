import SluiceModel
public import SluiceScript

/// `<script>` ready to run: the JavaScript is compiled once per deployment (duktape bytecode; a syntax error fails
/// the deployment with its line). Running it is handed to the gateway (`MediationStep.runScript`), which runs it on
/// a thread pool of its own, never on an event loop, and resumes the sequence after it.
struct CompiledScriptMediator: CompiledMediator {
    let invocation: ScriptInvocation

    init(_ node: ScriptMediator, compilation: inout MediatorCompilation) throws(MediationCompileError) {
        guard ScriptMediator.javaScriptLanguages.contains(node.language) else {
            throw compilation.error(
                .unsupported("script language '\(node.language)': Sluice runs JavaScript (language=\"js\") only")
            )
        }
        var parts: [String] = []
        for include in node.includes {
            parts.append(try compilation.resourceText(forKey: include, usedFor: "an included script"))
        }
        let name: String
        if let key = node.key {
            if key.hasPrefix("{") {
                throw compilation.error(.unsupported("<script> with a dynamic key '\(key)'; name a local entry"))
            }
            parts.append(try compilation.resourceText(forKey: key, usedFor: "a script"))
            name = key
        } else {
            parts.append(node.source ?? "")
            name = "inline"
        }
        let script: CompiledScript
        do {
            // Includes load first, as Synapse evaluates them before the script.
            script = try CompiledScript(
                source: parts.joined(separator: "\n"),
                name: name,
                functionName: node.key == nil ? nil : node.function ?? "mediate"
            )
        } catch {
            if E4XDetector.usesE4X(parts.joined(separator: "\n")) {
                throw compilation.error(.unsupported(E4XDetector.refusal(script: name)))
            }
            throw compilation.error(.invalidConfiguration(className: "script '\(name)'", reason: error.message))
        }
        invocation = ScriptInvocation(script: script, language: node.language, key: node.key)
    }

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .yield(.runScript(invocation))
    }
}

/// One `<script>` to run over a message, off the event loop (see `MediationStep.runScript`).
public struct ScriptInvocation: Sendable {
    let script: CompiledScript
    let language: String
    let key: String?

    /// Runs the script over `context` on the calling thread (blocking it for up to `limits.timeLimit`).
    /// - Returns: nil to resume the sequence; `.drop` when the script's result was `false` (Synapse then stops
    ///   mediating the message).
    /// - Throws: `MediationFault` when the script throws, runs too long or allocates too much; changes it made
    ///   before stay, as in Synapse.
    public func run(_ context: inout MessageContext, limits: ScriptLimits) throws(MediationFault) -> MediationStep? {
        let host = ScriptMessageHost(context: context)
        // The host holds the only copy while the script runs, so body edits do not copy it.
        context = MessageContext(method: "", requestPath: "")
        defer { context = host.context }
        do {
            return try ScriptEngine.run(script, host: host, limits: limits) == .returnedFalse ? .drop : nil
        } catch {
            // Synapse's message, with the engine's reason.
            let which = key.map { "external \(language) script : \($0) function \(script.functionName ?? "mediate")" }
                ?? "inlined \(language) script"
            throw MediationFault(
                code: SynapseErrorCode.mediationFailed,
                message: "The script engine returned an error executing the \(which): \(error.message)",
                detail: error.message
            )
        }
    }
}
