import NIOCore
import SluiceModel

/// `dblookup` or `dbreport` ready to run: binds each statement's parameters from the message, then hands the
/// statements to the gateway as a `DatabaseCall` (the exchange waits for them on its event loop, as it waits for
/// a backend) and applies what they return.
struct CompiledDatabaseMediator: CompiledMediator {
    enum Kind: Sendable {
        case lookup
        case report(useTransaction: Bool)
    }

    struct Statement: Sendable {
        let sql: String
        let parameters: [(value: CompiledValue, type: JDBCType)]
        let results: [DatabaseStatement.Result]
    }

    /// What `dbreport` sets to the rows a statement changed (Synapse's spelling).
    static let changedRowsProperty = "DBREPORT_MODIFIED_RAW_COUNT"

    let kind: Kind
    let statements: [Statement]
    let client: any DatabaseClient
    /// The pool's URL or the datasource name, as Synapse names the datasource in its faults.
    let dataSourceName: String
    let timeout: TimeAmount

    var readsBody: Bool { statements.contains { $0.parameters.contains { $0.value.readsBody } } }

    init(
        _ definition: DatabaseMediatorDefinition,
        kind: Kind,
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) {
        self.kind = kind
        var statements: [Statement] = []
        for statement in definition.statements {
            var parameters: [(value: CompiledValue, type: JDBCType)] = []
            for parameter in statement.parameters {
                parameters.append((try compilation.value(parameter.value), parameter.type))
            }
            let placeholders = JDBCPlaceholders.count(in: statement.sql)
            if placeholders != parameters.count {
                compilation.warn(
                    "the statement '\(statement.sql)' has \(placeholders) '?' placeholder(s) and "
                        + "\(parameters.count) parameter(s); it faults when a message reaches it"
                )
            }
            statements.append(Statement(sql: statement.sql, parameters: parameters, results: statement.results))
        }
        self.statements = statements
        let resolved = try DatabaseResolution(definition.connection, compilation: &compilation)
        self.client = resolved.client
        self.dataSourceName = resolved.name
        self.timeout = compilation.databases?.statementTimeout ?? .seconds(30)
        if case .report(true) = kind, !compilation.transactionDataSources.contains(resolved.name) {
            if !compilation.transactionDataSources.isEmpty {
                let earlier = compilation.transactionDataSources.joined(separator: ", ")
                compilation.warn(
                    "a transaction here writes to \(resolved.name) after \(earlier): Sluice commits datasources one "
                        + "after the other, without two-phase commit, so a commit failing after another succeeded "
                        + "leaves a mixed outcome (logged as heuristic); keep atomic work on one datasource"
                )
            }
            compilation.transactionDataSources.append(resolved.name)
        }
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        var bound: [BoundStatement] = []
        bound.reserveCapacity(statements.count)
        for statement in statements {
            var bindings: [SQLValue] = []
            for (position, parameter) in statement.parameters.enumerated() {
                let text = try parameter.value.string(&context)
                do throws(StatementError) {
                    bindings.append(try SQLValue(text, as: parameter.type, position: position + 1))
                } catch {
                    throw fault(for: statement.sql, error, executing: false)
                }
            }
            bound.append(BoundStatement(sql: statement.sql, bindings: bindings, returnsRows: isLookup))
        }
        return .yield(.queryDatabase(DatabaseCall(mediator: self, statements: bound, transaction: context.transaction)))
    }

    /// `dbreport useTransaction="true"`.
    var usesTransaction: Bool {
        if case .report(true) = kind { return true }
        return false
    }

    private var isLookup: Bool {
        if case .lookup = kind { return true }
        return false
    }

    /// Applies what the statements returned: `dblookup` sets the result columns of each first row (a NULL sets
    /// nothing), `dbreport` the changed-row count.
    func apply(_ outcomes: [StatementOutcome], to context: inout MessageContext) throws(MediationFault) {
        for (statement, outcome) in zip(statements, outcomes) {
            guard isLookup else {
                context[property: Self.changedRowsProperty] = .integer(outcome.changedRows)
                continue
            }
            guard let row = outcome.firstRow else { continue }
            for result in statement.results {
                let index: Int?
                if let number = Int(result.column) {
                    index = number >= 1 && number <= row.count ? number - 1 : nil
                } else {
                    index = outcome.columns.firstIndex { $0.caseInsensitiveCompare(result.column) == .orderedSame }
                }
                guard let index else {
                    throw fault(
                        for: statement.sql,
                        StatementError(statement: 0, message: "the result has no column '\(result.column)'"),
                        executing: true
                    )
                }
                if let value = row[index] { context[property: result.name] = .string(value) }
            }
        }
    }

    /// Synapse's fault for a failed statement: ERROR_CODE 0, its message naming the SQL and the datasource, the
    /// driver's reason as the detail.
    func fault(for sql: String, _ error: StatementError, executing: Bool) -> MediationFault {
        let message: String
        switch (kind, executing) {
        case (.lookup, true): message = "SQL Exception occurred while executing statement : \(sql)"
        case (.lookup, false): message = "Error executing statement : \(sql)"
        case (.report, true): message = "SQL Error while executing insert statement : \(sql)"
        case (.report, false): message = "Error while executing insert statement : \(sql)"
        }
        return MediationFault(
            code: SynapseErrorCode.mediationFailed,
            message: message + " against DataSource : " + dataSourceName,
            detail: error.message
        )
    }

    func fault(for error: any Error) -> MediationFault {
        let failure = error as? StatementError ?? StatementError(statement: 0, message: String(describing: error))
        let sql = statements.indices.contains(failure.statement) ? statements[failure.statement].sql : ""
        return fault(for: sql, failure, executing: true)
    }
}
