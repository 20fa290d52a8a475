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
        let mediators: [CompiledMediator]
        var position: Int
        /// `onError` of the named sequence this frame belongs to (inherited by filter branches).
        let onError: String?
    }

    private let program: MediationProgram
    private var frames: [Frame]

    /// Prepares to run `sequence`.
    /// - Parameters:
    ///   - sequence: The compiled sequence.
    ///   - program: The named sequences and endpoints it may refer to.
    public init(sequence: CompiledSequence, program: MediationProgram) {
        self.program = program
        self.frames = [Frame(mediators: sequence.mediators, position: 0, onError: sequence.onError)]
    }

    /// True when every mediator has run.
    public var isFinished: Bool { frames.isEmpty }

    /// The sequence that handles a fault thrown by `run`: the `onError` of the innermost named sequence being
    /// run, if any, else `fallback` (normally the resource's fault sequence).
    public func faultSequence(default fallback: CompiledSequence) -> CompiledSequence {
        for frame in frames.reversed() {
            if let name = frame.onError, let sequence = program.sequences[name] { return sequence }
        }
        return fallback
    }

    /// Runs (or resumes) the sequence.
    /// - Returns: Why it stopped; after `.call` call `run` again to continue.
    /// - Throws: `MediationFault` when a mediator fails; record it in the context and run the fault sequence.
    public mutating func run(_ context: inout MessageContext) throws(MediationFault) -> MediationStep {
        while let last = frames.indices.last {
            let frame = frames[last]
            guard frame.position < frame.mediators.count else {
                frames.removeLast()
                continue
            }
            frames[last].position += 1
            switch frame.mediators[frame.position] {
            case .send(let endpoint, let receive):
                return .send(endpoint, receive: receive)
            case .call(let endpoint):
                return .call(endpoint)
            case .loopback:
                frames.removeAll()
                return .loopback
            case .respond:
                frames.removeAll()
                return .respond
            case .drop:
                frames.removeAll()
                return .drop
            case .property(let mediator):
                try mediator.mediate(&context)
            case .header(let mediator):
                try mediator.mediate(&context)
            case .log(let mediator):
                try mediator.mediate(&context)
            case .filter(let condition, let then, let otherwise):
                let branch = try condition.evaluate(&context) ? then : otherwise
                if !branch.isEmpty { try push(branch, onError: frame.onError) }
            case .payloadFactory(let mediator):
                try mediator.mediate(&context)
            case .sequence(let key):
                guard let sequence = program.sequences[key] else {
                    // The compiler checked the key; a program swapped underneath us is the only way here.
                    throw MediationFault.mediatorFailed("sequence", "sequence '\(key)' is not deployed")
                }
                try push(sequence.mediators, onError: sequence.onError ?? frame.onError)
            case .enrich(let mediator):
                try mediator.mediate(&context)
            case .classMediator(let name, let mediator):
                let proceed: Bool
                do {
                    proceed = try mediator.mediate(&context)
                } catch {
                    context.logger.debug("class mediator failed", metadata: ["sluice.mediator": .string(name)])
                    throw error
                }
                if !proceed {
                    frames.removeAll()
                    return .drop
                }
            case .defaultFaultResponse:
                answerWithDefaultFault(&context)
                frames.removeAll()
                return .respond
            }
        }
        return .finished
    }

    private mutating func push(_ mediators: [CompiledMediator], onError: String?) throws(MediationFault) {
        guard frames.count < Self.maximumDepth else {
            throw MediationFault.mediatorFailed("sequence", "sequences nested deeper than \(Self.maximumDepth) levels")
        }
        frames.append(Frame(mediators: mediators, position: 0, onError: onError))
    }

    private func answerWithDefaultFault(_ context: inout MessageContext) {
        let code = context[property: SynapseProperty.errorCode].flatMap { Int($0.stringValue) } ?? 0
        let message = context[property: SynapseProperty.errorMessage]?.stringValue ?? "Runtime Error"
        let fault = MediationFault(code: code, message: message)
        let response = FaultPayload.response(for: fault, context: context, requestHeaders: context.requestHeaders)
        context.statusCode = response.status
        context.headers = response.headers
        context.body = .buffered(response.body)
        context.isResponse = true
    }
}
