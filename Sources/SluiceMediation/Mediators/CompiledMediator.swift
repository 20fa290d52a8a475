import SluiceModel

/// One mediator ready to run: the AST node with expressions, regexes and endpoints prepared at deploy time.
enum CompiledMediator: Sendable {
    case send(ResolvedEndpoint?, receive: String?)
    case call(ResolvedEndpoint)
    case loopback
    case respond
    case drop
    case property(CompiledPropertyMediator)
    case header(CompiledHeaderMediator)
    case log(CompiledLogMediator)
    case filter(CompiledFilterCondition, then: [CompiledMediator], otherwise: [CompiledMediator])
    case payloadFactory(CompiledPayloadFactory)
    case sequence(key: String)
    case enrich(CompiledEnrichMediator)
    case classMediator(name: String, any Mediator)
    /// The built-in answer of the default fault sequence: WSO2's runtime fault from `ERROR_CODE` and
    /// `ERROR_MESSAGE`, then respond.
    case defaultFaultResponse

    /// True when running this mediator (not counting named sequences it refers to) reads the body.
    var readsBody: Bool {
        switch self {
        case .send, .call, .loopback, .respond, .drop, .sequence, .defaultFaultResponse: false
        case .property(let mediator): mediator.readsBody
        case .header(let mediator): mediator.value?.readsBody ?? false
        case .log(let mediator): mediator.readsBody
        case .filter(let condition, let then, let otherwise):
            condition.readsBody || then.contains(where: \.readsBody) || otherwise.contains(where: \.readsBody)
        case .payloadFactory(let mediator): mediator.readsBody
        case .enrich(let mediator): mediator.readsBody
        // A class mediator may look at anything; only the built-in usage ones are known not to.
        case .classMediator(_, let mediator): mediator.readsBody
        }
    }

    /// Named sequences this mediator runs in the same flow (`sequence key=`; not `send receive=`, which runs
    /// on the response).
    var referencedSequences: [String] {
        switch self {
        case .sequence(let key): [key]
        case .filter(_, let then, let otherwise):
            then.flatMap(\.referencedSequences) + otherwise.flatMap(\.referencedSequences)
        default: []
        }
    }
}
