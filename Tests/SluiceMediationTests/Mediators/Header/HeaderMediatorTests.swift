import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct HeaderMediatorTests {
    @Test func setsAndRemovesTransportHeaders() throws {
        var context = Build.context(headers: [("X-Remove", "1"), ("X-Replace", "old")])
        context[property: "tenant"] = "acme"
        try Build.run(
            [
                .header(HeaderMediator(name: "X-Remove", value: nil, action: .remove, scope: .transport)),
                .header(HeaderMediator(name: "X-Replace", value: .literal("new"), scope: .transport)),
                .header(
                    HeaderMediator(
                        name: "X-Tenant",
                        value: .expression(Build.expression("$ctx:tenant")),
                        scope: .transport
                    )
                ),
            ],
            on: &context
        )
        #expect(context.headers["X-Remove"].isEmpty)
        #expect(context.headers["X-Replace"] == ["new"])
        #expect(context.headers["X-Tenant"] == ["acme"])
    }

    @Test func soapHeaderScopeIsRefusedAtDeployTime() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.header(HeaderMediator(name: "ns:Security", value: .literal("x")))])
        }
    }
}
