import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<transaction>` read and written back, and what each action does to the message's transaction before any
/// database is involved: begin, check, suspend and resume, and Synapse's faults for the misuses.
@Suite struct TransactionMediatorTests {
    private func run(_ mediators: String, on context: inout MessageContext) throws -> MediationStep {
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context)
    }

    private func fault(_ mediators: String) throws -> MediationFault? {
        var context = Build.context()
        do {
            _ = try run(mediators, on: &context)
            return nil
        } catch let fault as MediationFault {
            return fault
        }
    }

    @Test(arguments: TransactionMediator.Action.allCases)
    func everyActionRoundTrips(_ action: TransactionMediator.Action) throws {
        let read = try MediatorXML.roundTrip(#"<transaction action="\#(action.rawValue)"/>"#)
        #expect(read == [.transaction(action)])
    }

    @Test func theActionIsRequiredAndAnUnknownOneDeploysWithAWarningAndFaults() throws {
        #expect(MediatorXML.problems("<transaction/>") == ["missing required attribute 'action' on <transaction>"])
        let warnings = try SynapseParser().parseWithWarnings(
            bytes: Array(#"<sequence xmlns="http://ws.apache.org/ns/synapse" name="t"><transaction action="begin"/></sequence>"#.utf8),
            fileName: "t.xml"
        ).warnings.map(\.message)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("'begin' is not a transaction action (new, use-existing-or-new,") == true)
        #expect(try fault(#"<transaction action="begin"/>"#)?.message == "Invalid transaction mediator action : begin")
    }

    @Test func newBeginsAndASecondNewFaultsWithSynapsesMessage() throws {
        var context = Build.context()
        #expect(context.transaction == nil)
        _ = try run(#"<transaction action="new"/>"#, on: &context)
        let first = try #require(context.transaction)
        #expect(first.enlistedDataSources.isEmpty)  // no connection is taken before the first statement
        let twice = try fault(#"<transaction action="new"/><transaction action="new"/>"#)
        #expect(twice?.message == "Require to begin a new transaction, but a transaction already exist")
        #expect(twice?.code == 0)
    }

    @Test func useExistingOrNewKeepsTheTransactionTheMessageHas() throws {
        var context = Build.context()
        _ = try run(#"<transaction action="use-existing-or-new"/>"#, on: &context)
        let begun = try #require(context.transaction)
        _ = try run(#"<transaction action="use-existing-or-new"/>"#, on: &context)
        #expect(context.transaction === begun)
    }

    @Test func faultIfNoTransactionFaultsOnlyWithoutOne() throws {
        #expect(try fault(#"<transaction action="fault-if-no-tx"/>"#)?.message == "No active transaction. Require an active transaction")
        #expect(try fault(#"<transaction action="new"/><transaction action="fault-if-no-tx"/>"#) == nil)
        // A suspended transaction is not the message's active one.
        let suspended = try fault(#"<transaction action="new"/><transaction action="suspend"/><transaction action="fault-if-no-tx"/>"#)
        #expect(suspended?.message == "No active transaction. Require an active transaction")
    }

    @Test func suspendSetsTheTransactionAsideAndResumeTakesItBack() throws {
        var context = Build.context()
        _ = try run(#"<transaction action="new"/><transaction action="suspend"/>"#, on: &context)
        #expect(context.transaction == nil)
        let aside = try #require(context.suspendedTransaction)
        // Another transaction may begin while one is suspended, but the suspended one cannot come back over it.
        _ = try run(#"<transaction action="new"/>"#, on: &context)
        #expect(try fault(#"<transaction action="new"/><transaction action="suspend"/><transaction action="new"/><transaction action="resume"/>"#)?
            .message == "Unable to resume the suspended transaction: the message has an active transaction")
        var other = Build.context()
        _ = try run(#"<transaction action="new"/><transaction action="suspend"/><transaction action="resume"/>"#, on: &other)
        #expect(other.transaction != nil)
        #expect(other.suspendedTransaction == nil)
        #expect(aside !== context.transaction)
        #expect(try fault(#"<transaction action="resume"/>"#)?.message == "Unable to resume a transaction: no transaction is suspended")
        // Suspending nothing does nothing, as JTA's suspend without a transaction.
        #expect(try fault(#"<transaction action="suspend"/>"#) == nil)
    }

    @Test func commitAndRollbackWithoutATransactionGoOnAndWithOneAskTheGatewayToEndIt() throws {
        var context = Build.context()
        #expect(try run(#"<transaction action="commit"/><transaction action="rollback"/><drop/>"#, on: &context).isDrop)
        _ = try run(#"<transaction action="new"/>"#, on: &context)
        let step = try run(#"<transaction action="commit"/><drop/>"#, on: &context)
        guard case .queryDatabase = step else {
            Issue.record("expected the gateway to end the transaction, got \(step)")
            return
        }
        // The message no longer holds it, whatever the end's outcome.
        #expect(context.transaction == nil)
    }

    @Test func aSequenceWhoseTransactionWritesToTwoDataSourcesDeploysWithAWarning() throws {
        func report(_ name: String) -> String {
            #"<dbreport useTransaction="true"><connection><pool><dsName>\#(name)</dsName></pool></connection>"#
                + "<statement><sql>DELETE FROM t</sql></statement></dbreport>"
        }
        func warnings(_ mediators: String) throws -> [String] {
            try MediationCompiler().compileProgram(
                SynapseParser().parse(
                    xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse"><sequence name="s">"# + mediators
                        + "</sequence></definitions>",
                    fileName: "tx.xml"
                )
            ).unresolvedReferences.map(\.description)
        }
        let one = try warnings(#"<transaction action="new"/>"# + report("jdbc/A") + report("jdbc/A") + #"<transaction action="commit"/>"#)
        #expect(one.isEmpty)
        let two = try warnings(#"<transaction action="new"/>"# + report("jdbc/A") + report("jdbc/B") + report("jdbc/A"))
        #expect(two.count == 1)
        #expect(two.first?.contains("a transaction here writes to jdbc/B after jdbc/A: Sluice commits datasources one after the other, without two-phase commit") == true, "\(two)")
    }
}

extension MediationStep {
    fileprivate var isDrop: Bool {
        if case .drop = self { return true }
        return false
    }
}
