import SluiceModel

/// The sequence a `foreach`, an `iterate`/`clone` target or an `aggregate`'s `onComplete` runs: inline mediators,
/// or a named sequence looked up in the deployed program when it runs.
enum CompiledBranch: Sendable {
    case inline(CompiledSequence)
    case key(String)

    /// The sequence to run.
    /// - Throws: `MediationFault` when a named sequence is not deployed (the artifact deployed with a warning).
    func sequence(in program: MediationProgram, owner: String) throws(MediationFault) -> CompiledSequence {
        switch self {
        case .inline(let sequence):
            return sequence
        case .key(let key):
            guard let sequence = program.sequences[key] else {
                throw MediationFault.branchSequenceNotFound(key)
            }
            return sequence
        }
    }

    var readsBody: Bool {
        if case .inline(let sequence) = self { return sequence.readsBody }
        return false
    }

    var references: [MediationReference] {
        switch self {
        case .inline(let sequence): sequence.mediators.allReferences
        case .key(let key): [.sequence(key)]
        }
    }

    /// Runs the branch over `context` to its end, synchronously (`foreach`).
    /// - Returns: False when the sequence dropped the message (Synapse's `false`: stop the loop).
    /// - Throws: `MediationFault` when a mediator fails, or when the sequence tries to leave the message (send,
    ///   call, respond...), which a synchronous branch cannot do.
    func runToEnd(_ context: inout MessageContext, program: MediationProgram, owner: String) throws(MediationFault) -> Bool {
        var execution = SequenceExecution(sequence: try sequence(in: program, owner: owner), program: program)
        let step = try execution.run(&context)
        switch step {
        case .finished: return true
        case .drop: return false
        default:
            throw MediationFault.mediatorFailed(
                owner,
                "the sequence of <\(owner)> cannot send, call, respond or split the message (it reached <\(step.mediatorName)>)"
            )
        }
    }
}

extension MediatorCompilation {
    /// Compiles the sequence of a `foreach`, a target or an `onComplete`; a named one is looked up when it runs.
    mutating func compileBranch(_ slot: SequenceSlot) throws(MediationCompileError) -> CompiledBranch {
        switch slot {
        case .key(let key):
            referSequence(key)
            return .key(key)
        case .inline(let nodes):
            let mediators = try compile(nodes)
            return .inline(
                CompiledSequence(name: nil, mediators: mediators, onError: nil, location: location, readsBody: true)
            )
        }
    }
}

extension MediationStep {
    /// The mediator that returned the step, for messages.
    var mediatorName: String {
        switch self {
        case .finished: "end of sequence"
        case .respond: "respond"
        case .drop: "drop"
        case .loopback: "loopback"
        case .send: "send"
        case .call: "call"
        case .runScript: "script"
        case .queryDatabase: "dblookup/dbreport"
        case .split: "clone/iterate"
        case .aggregate: "aggregate"
        }
    }
}
