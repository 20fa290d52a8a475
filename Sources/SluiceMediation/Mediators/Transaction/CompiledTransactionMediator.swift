import Logging
import NIOCore

/// `<transaction>` ready to run. Beginning, checking, suspending and resuming only change which `MessageTransaction`
/// the message holds (no connection is taken before the first statement); `commit` and `rollback` hand the ending to
/// the gateway as a `DatabaseCall`, which waits for the databases on the exchange's event loop.
struct CompiledTransactionMediator: CompiledMediator {
    /// Nil for an action Synapse does not know: the mediator faults with Synapse's message.
    let action: TransactionMediator.Action?
    let written: String
    /// How long a transaction begun here may hold its connections.
    let timeout: TimeAmount
    /// How long `commit` and `rollback` may take before the message faults.
    let endTimeout: TimeAmount

    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        switch action {
        case nil:
            throw Self.fault("Invalid transaction mediator action : \(written)")
        case .new:
            // Synapse's words (TransactionMediator, ACTION_NEW).
            guard context.transaction == nil else {
                throw Self.fault("Require to begin a new transaction, but a transaction already exist")
            }
            context.transaction = MessageTransaction(timeout: timeout, logger: context.logger)
        case .useExistingOrNew:
            if context.transaction == nil {
                context.transaction = MessageTransaction(timeout: timeout, logger: context.logger)
            }
        case .faultIfNoTransaction:
            guard context.transaction != nil else {
                throw Self.fault("No active transaction. Require an active transaction")
            }
        case .commit, .rollback:
            // Without a transaction Synapse's TranscationManger only logs; the message goes on.
            guard let transaction = context.transaction else {
                context.logger.debug("no transaction to end", metadata: ["sluice.transaction.action": .string(written)])
                return .proceed
            }
            context.transaction = nil
            let call = DatabaseCall(ending: transaction, commit: action == .commit, timeout: endTimeout)
            return .yield(.queryDatabase(call))
        case .suspend:
            guard let transaction = context.transaction else { return .proceed }
            guard context.suspendedTransaction == nil else {
                throw Self.fault("Unable to suspend the transaction: another transaction is already suspended")
            }
            context.suspendedTransaction = transaction
            context.transaction = nil
        case .resume:
            guard let suspended = context.suspendedTransaction else {
                throw Self.fault("Unable to resume a transaction: no transaction is suspended")
            }
            guard context.transaction == nil else {
                throw Self.fault("Unable to resume the suspended transaction: the message has an active transaction")
            }
            context.transaction = suspended
            context.suspendedTransaction = nil
        }
        return .proceed
    }

    static func fault(_ message: String, detail: String? = nil) -> MediationFault {
        MediationFault(code: SynapseErrorCode.mediationFailed, message: message, detail: detail)
    }
}
