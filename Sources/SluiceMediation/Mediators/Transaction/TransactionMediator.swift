public import SluiceModel
internal import SluiceXML

/// `<transaction action="new|use-existing-or-new|fault-if-no-tx|commit|rollback|suspend|resume"/>`: begins, checks,
/// ends, sets aside or takes back the message's database transaction (`MessageTransaction`), which `dbreport
/// useTransaction="true"` statements join. Synapse's `TransactionMediator`.
public struct TransactionMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "transaction"

    /// The actions Synapse's schema lists.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Begins a transaction; faults when the message already has one.
        case new
        /// Begins a transaction unless the message has one.
        case useExistingOrNew = "use-existing-or-new"
        /// Faults unless the message has a transaction.
        case faultIfNoTransaction = "fault-if-no-tx"
        /// Commits the message's transaction (nothing without one).
        case commit
        /// Rolls the message's transaction back (nothing without one).
        case rollback
        /// Sets the message's transaction aside: later statements run outside it, as after JTA's `suspend`.
        case suspend
        /// Makes the transaction set aside by `suspend` the message's again.
        case resume
    }

    /// The `action` attribute as written (Synapse reads any text and faults at run time on an unknown one).
    public var action: String

    public init(action: String) {
        self.action = action
    }

    public init(_ action: Action) {
        self.action = action.rawValue
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> TransactionMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        guard let action = reader.required("action", of: element) else { return nil }
        if Action(rawValue: action) == nil {
            reader.warn(
                "'\(action)' is not a transaction action (\(Action.allCases.map(\.rawValue).joined(separator: ", "))); "
                    + "the mediator faults when a message reaches it, as Synapse's does",
                at: element
            )
        }
        return TransactionMediator(action: action)
    }

    func write(to writer: XMLWriter) {
        writer.element(Self.elementName, ["action": action])
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledTransactionMediator(
            action: Action(rawValue: action),
            written: action,
            timeout: compilation.databases?.transactionTimeout ?? .seconds(60),
            endTimeout: compilation.databases?.statementTimeout ?? .seconds(30)
        )
    }
}

extension MediatorNode {
    /// A `<transaction>` node.
    public static func transaction(_ action: TransactionMediator.Action) -> MediatorNode {
        MediatorNode(TransactionMediator(action))
    }
}
