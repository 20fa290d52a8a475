import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSecurity

@Suite struct CORSRequestHandlerTests {
    @Test func preflightIsAnsweredAtTheGateway() throws {
        let handler = try CORSRequestHandler(
            spec: GatewayHandlerSpec(
                className: CORSRequestHandler.classNames[0],
                properties: [
                    .init(name: "allowedOrigins", value: "https://a.example, https://b.example"),
                    .init(name: "allowHeaders", value: "authorization,Content-Type"),
                    .init(name: "allowedMethods", value: "GET,POST"),
                    .init(name: "AllowCredentials", value: "true"),
                ]
            )
        )
        var context = MessageContext(
            method: "OPTIONS",
            requestPath: "/menu",
            headers: ["Origin": "https://b.example", "Access-Control-Request-Method": "GET"]
        )
        guard case .respond = handler.handleRequest(&context) else {
            Issue.record("preflight not answered")
            return
        }
        #expect(context.statusCode == 200)
        #expect(context.headers.first(name: "Access-Control-Allow-Origin") == "https://b.example")
        #expect(context.headers.first(name: "Access-Control-Allow-Methods") == "GET,POST")
        #expect(context.headers.first(name: "Access-Control-Allow-Headers") == "authorization,Content-Type")
        #expect(context.headers.first(name: "Access-Control-Allow-Credentials") == "true")
    }

    @Test func responsesGetHeadersAndUnlistedOriginsDoNot() {
        let handler = CORSRequestHandler(allowedOrigins: ["https://a.example"])
        var context = MessageContext(method: "GET", requestPath: "/menu", headers: ["Origin": "https://evil.example"])
        guard case .proceed = handler.handleRequest(&context) else {
            Issue.record("a plain GET must pass")
            return
        }
        context.receiveResponse(status: 200, headers: ["Content-Type": "application/json"], body: .empty)
        _ = handler.handleResponse(&context)
        #expect(context.headers.first(name: "Access-Control-Allow-Origin") == nil)
        #expect(context.headers.first(name: "Access-Control-Allow-Methods") == "GET,PUT,POST,DELETE,PATCH,OPTIONS")
        #expect(handler.allowedOrigin(for: "https://a.example") == "https://a.example")
        #expect(CORSRequestHandler().allowedOrigin(for: "https://x.example") == "*")
    }

    @Test func nonBooleanCredentialsFlagIsRejected() {
        #expect(throws: MediationCompileError.self) {
            try CORSRequestHandler(
                spec: GatewayHandlerSpec(className: "CORSRequestHandler", properties: [.init(name: "AllowCredentials", value: "maybe")])
            )
        }
    }
}
