import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct FlowMediatorTests {
    @Test(arguments: [
        (MediatorNode.respond, "respond"),
        (.drop, "drop"),
        (.loopback, "loopback"),
    ])
    func flowMediatorsStopTheSequence(mediator: MediatorNode, expected: String) throws {
        var context = Build.context()
        let step = try Build.run(
            [mediator, .property(PropertyMediator(name: "after", value: .literal("x")))],
            on: &context
        )
        #expect(step.name == expected)
        #expect(context[property: "after"] == nil)
    }

    @Test func fallingOffTheEndFinishes() throws {
        var context = Build.context()
        #expect(
            try Build.run([.property(PropertyMediator(name: "a", value: .literal("x")))], on: &context).name
                == "finished"
        )
    }

    @Test func sendCarriesEndpointAndReceiveSequence() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [SequenceDefinition(name: "onResponse")],
            endpoints: []
        )
        var context = Build.context()
        let step = try Build.run(
            [.send(SendMediator(endpoint: Build.address("http://backend:8080/api"), receive: "onResponse"))],
            on: &context,
            program: program
        )
        guard case .send(let endpoint?, let receive) = step, case .leaf(let leaf) = endpoint.kind else {
            Issue.record("expected send to a leaf, got \(step.name)")
            return
        }
        #expect(receive == "onResponse")
        #expect(leaf.target == .address(uri: "http://backend:8080/api"))
    }

    @Test func bareSendHasNoEndpoint() throws {
        var context = Build.context()
        guard case .send(nil, nil) = try Build.run([.send(SendMediator())], on: &context) else {
            Issue.record("expected a bare send")
            return
        }
    }
}
