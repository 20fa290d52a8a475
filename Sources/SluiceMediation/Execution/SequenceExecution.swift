import NIOCore

/// Runs one compiled sequence over a message, synchronously, until it finishes or needs the gateway to do I/O.
///
/// The execution keeps a stack of frames (the sequence, filter branches and named sequences entered), so after
/// `.call` the gateway applies the backend response with `MessageContext.receiveResponse(status:headers:body:)`
/// and calls `run` again to continue with the mediator after the `call`.
///
/// ```swift
/// var execution = SequenceExecution(sequence: resource.inSequence!, program: program)
/// do {
///     switch try execution.run(&context) {
///     case .call(let endpoint): ... // invoke, context.receiveResponse(...), then run again
///     case .send(let endpoint, let receive): ...
///     case .respond, .drop, .loopback, .finished: ...
///     }
/// } catch {
///     context.recordFault(error)
///     let handler = execution.faultSequence(default: resource.faultSequence)
///     // run `handler` with a new SequenceExecution
/// }
/// ```
public struct SequenceExecution: Sendable {
    /// Named sequences may call each other; this bounds the nesting so a cycle faults instead of overflowing.
    public static let maximumDepth = 64

    private struct Frame: Sendable {
        let mediators: [any CompiledMediator]
        var position: Int
        /// `onError` of the named sequence this frame belongs to (inherited by filter branches).
        let onError: String?
        /// True for a template's frame: leaving it unbinds the template's `$func:` parameters.
        var bindsTemplate = false
        /// True for the target sequence of a split message: when it ends the message's flow ends too, unless it
        /// made a `call` (then, as with Synapse's continuation, it goes on after the `clone`/`iterate`).
        var endsBranch = false
    }

    private let program: MediationProgram
    /// The innermost frame being run; nil once every mediator has run.
    private var current: Frame?
    /// The frames `current` was entered from, outermost first. Kept apart from `current` so the common flat
    /// sequence allocates no frame array.
    private var outer: [Frame] = []
    /// How many `$func:` parameter sets this execution pushed on the context and has not popped yet.
    private var templateDepth = 0
    /// True once a `call` was made: a split message's flow then goes on after its target sequence.
    private var branchCalled = false

    /// Prepares to run `sequence`.
    /// - Parameters:
    ///   - sequence: The compiled sequence.
    ///   - program: The named sequences and endpoints it may refer to.
    public init(sequence: CompiledSequence, program: MediationProgram) {
        self.program = program
        self.current = Frame(mediators: sequence.mediators, position: 0, onError: sequence.onError)
    }

    /// True when every mediator has run.
    public var isFinished: Bool { current == nil }

    /// The sequence that handles a fault thrown by `run`: the `onError` of the innermost named sequence being
    /// run, if any, else `fallback` (normally the resource's fault sequence).
    public func faultSequence(default fallback: CompiledSequence) -> CompiledSequence {
        if let name = current?.onError, let sequence = program.sequences[name] { return sequence }
        for frame in outer.reversed() {
            if let name = frame.onError, let sequence = program.sequences[name] { return sequence }
        }
        return fallback
    }

    /// Runs (or resumes) the sequence.
    /// - Returns: Why it stopped; after `.call` call `run` again to continue.
    /// - Throws: `MediationFault` when a mediator fails; record it in the context and run the fault sequence.
    public mutating func run(_ context: inout MessageContext) throws(MediationFault) -> MediationStep {
        if context.localEntries == nil {
            context.localEntries = program.localEntries
            context.namedEndpoints = program.endpoints
        }
        do {
            return try runFrames(&context)
        } catch {
            // The frames stay for `faultSequence(default:)`; the template parameters go, as Synapse pops them in a
            // `finally`, so the fault sequence does not see them.
            unbindTemplates(&context)
            throw error
        }
    }

    private mutating func runFrames(_ context: inout MessageContext) throws(MediationFault) -> MediationStep {
        while let frame = current {
            guard frame.position < frame.mediators.count else {
                if frame.bindsTemplate {
                    context.templateParameters.removeLast()
                    templateDepth -= 1
                }
                if frame.endsBranch && !branchCalled {
                    finishAll(&context)
                    return .finished
                }
                current = outer.popLast()
                continue
            }
            current!.position += 1
            switch try frame.mediators[frame.position].mediate(&context) {
            case .proceed:
                continue
            case .enter(let mediators):
                if !mediators.isEmpty { try push(mediators, onError: frame.onError) }
            case .enterSequence(let key):
                // A key nothing deployed defines faults here, as Synapse's SequenceMediator does (the compiler
                // warned about a static one; a dynamic key may name anything).
                guard let sequence = program.sequences[key] else { throw MediationFault.sequenceNotFound(key) }
                try push(sequence.mediators, onError: sequence.onError ?? frame.onError)
            case .enterTemplate(let name, let arguments):
                guard let template = program.templates[name] else { throw MediationFault.templateNotFound(name) }
                let parameters = try template.bind(arguments, &context)
                try push(template.mediators, onError: template.onError ?? frame.onError)
                current!.bindsTemplate = true
                context.templateParameters.append(parameters)
                templateDepth += 1
            case .yield(let step):
                if case .call = step { branchCalled = true }
                return step
            case .stop(let step):
                finishAll(&context)
                return step
            case .runNested(let nested):
                try nested.run(&context, program: program)
            case .split(let plan):
                var branches: [MessageBranch] = []
                branches.reserveCapacity(plan.messages.count)
                let isRecipientList = plan.unavailableFault != nil
                for (message, target) in plan.messages {
                    branches.append(
                        MessageBranch(
                            context: message,
                            execution: try branch(into: target),
                            recipient: isRecipientList ? target.endpoint : nil
                        )
                    )
                }
                if !plan.settings.continueParent { finishAll(&context) }
                return .split(
                    MessageSplit(
                        branches: branches,
                        sequential: plan.settings.sequential,
                        continueParent: plan.settings.continueParent,
                        unavailableFault: plan.unavailableFault
                    )
                )
            }
        }
        return .finished
    }

    /// This execution, as it stands after the splitting mediator, entering a split message's target.
    private func branch(into target: CompiledSplitTarget) throws(MediationFault) -> SequenceExecution {
        var child = self
        switch target.destination {
        case .sequence(let branch):
            let sequence = try branch.sequence(in: program, owner: "target")
            try child.push(sequence.mediators, onError: sequence.onError ?? current?.onError)
        case .endpoint(let endpoint, let receive):
            try child.push([endpoint.sendMediator(receive: receive)], onError: current?.onError)
        case .call(let endpoint):
            try child.push([endpoint.callMediator()], onError: current?.onError)
        }
        child.current!.endsBranch = !target.continuesAfterSplit
        child.branchCalled = false
        return child
    }

    /// Runs `branch` next, then goes on where this execution stands (an aggregate's `onComplete`).
    mutating func enter(_ branch: CompiledBranch, owner: String) throws(MediationFault) {
        let sequence = try branch.sequence(in: program, owner: owner)
        try push(sequence.mediators, onError: sequence.onError ?? current?.onError)
    }

    private mutating func push(_ mediators: [any CompiledMediator], onError: String?) throws(MediationFault) {
        let depth = outer.count + (current == nil ? 0 : 1)
        guard depth < Self.maximumDepth else {
            throw MediationFault.mediatorFailed("sequence", "sequences nested deeper than \(Self.maximumDepth) levels")
        }
        if let current { outer.append(current) }
        current = Frame(mediators: mediators, position: 0, onError: onError)
    }

    private mutating func finishAll(_ context: inout MessageContext) {
        current = nil
        outer.removeAll()
        unbindTemplates(&context)
    }

    private mutating func unbindTemplates(_ context: inout MessageContext) {
        guard templateDepth > 0 else { return }
        context.templateParameters.removeLast(templateDepth)
        templateDepth = 0
    }
}
