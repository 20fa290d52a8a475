import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// The defaults WSO2's AggregateMediatorFactory gives an `<onComplete>` that leaves them out.
@Suite struct AggregateFactoryDefaultsTests {
    @Test func withoutAnExpressionEachPartContributesTheFirstChildOfItsSOAPBody() throws {
        let mediators = try MediatorXML.roundTrip(
            #"<clone><target><sequence><call><endpoint><address uri="http://127.0.0.1:9/a"/></endpoint></call></sequence></target>"#
                + #"<target><sequence><call><endpoint><address uri="http://127.0.0.1:9/b"/></endpoint></call></sequence></target></clone>"#
                + #"<aggregate><onComplete><property name="done" value="yes"/></onComplete></aggregate>"#
        )
        let aggregate = try #require(mediators.last?.as(AggregateMediator.self))
        #expect(aggregate.onCompleteExpression == AggregateMediator.defaultExpression)
        var context = Build.context(method: "POST", headers: [("Content-Type", "text/xml")], body: Self.envelope("<ask/>"))
        var execution = SequenceExecution(sequence: try Build.sequence(mediators), program: .empty)
        guard case .split(let split) = try execution.run(&context) else {
            Issue.record("clone splits")
            return
        }
        var aggregation = MessageAggregation()
        var merged: MessageBranch?
        for (index, var branch) in split.branches.enumerated() {
            _ = try branch.execution.run(&branch.context)
            branch.context.receiveResponse(
                status: 200,
                headers: HTTPHeaders([("Content-Type", "text/xml")]),
                body: .text(Self.envelope("<r>\(index)</r><extra/>"))
            )
            guard case .aggregate(let part) = try branch.execution.run(&branch.context) else {
                Issue.record("each part reaches the aggregate")
                return
            }
            if case .completed(let done) = try aggregation.add(part, branch) { merged = done }
        }
        var result = try #require(merged)
        let body = try #require(result.context.body.string)
        #expect(body.contains("<r>0</r><r>1</r>"), "\(body)")
        #expect(!body.contains("extra"), "\(body)")
        _ = try result.execution.run(&result.context)
        #expect(result.context[property: "done"] == .string("yes"))
    }

    @Test func anEmptyOnCompleteDropsTheMergedMessage() throws {
        let aggregate = try #require(
            try MediatorXML.roundTrip(#"<aggregate><onComplete expression="//r"/></aggregate>"#).first?.as(AggregateMediator.self)
        )
        #expect(aggregate.onComplete == .inline([.drop]))
    }

    static func envelope(_ payload: String) -> String {
        #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\#(payload)</s:Body></s:Envelope>"#
    }
}
