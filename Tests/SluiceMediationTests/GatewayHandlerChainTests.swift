import NIOCore
import NIOEmbedded
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

/// Appends its name to the `trail` property in both hooks, and can stop or suspend.
struct TraceHandler: GatewayHandler {
    enum Behaviour: Sendable {
        case proceed
        case respond
        case fault
        case suspendOnce(any EventLoop, SuspendFlag)
    }

    let name: String
    let behaviour: Behaviour

    func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        switch behaviour {
        case .proceed:
            break
        case .respond:
            context.statusCode = 204
            Self.append("req:\(name)", to: &context)
            return .respond
        case .fault:
            return .fault(MediationFault(code: 900901, message: "Invalid Credentials", httpStatus: 401))
        case .suspendOnce(let loop, let suspended):
            if suspended.takeFirst() { return .suspend(loop.makeSucceededVoidFuture()) }
        }
        Self.append("req:\(name)", to: &context)
        return .proceed
    }

    func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        Self.append("res:\(name)", to: &context)
        return .proceed
    }

    static func append(_ entry: String, to context: inout MessageContext) {
        let trail = context[property: "trail"]?.stringValue
        context[property: "trail"] = .string(trail.map { $0 + "," + entry } ?? entry)
    }
}

/// True the first time it is asked, false afterwards.
final class SuspendFlag: Sendable {
    private let done = Mutex(false)

    func takeFirst() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

@Suite struct GatewayHandlerChainTests {
    static func chain(_ handlers: [TraceHandler]) -> GatewayHandlerChain {
        GatewayHandlerChain(handlers.map { (className: $0.name, handler: $0 as any GatewayHandler) })
    }

    @Test func requestHooksRunInOrderAndResponseHooksInReverse() {
        var execution = Self.chain([
            TraceHandler(name: "a", behaviour: .proceed),
            TraceHandler(name: "b", behaviour: .proceed),
            TraceHandler(name: "c", behaviour: .proceed),
        ]).makeExecution()
        var context = Build.context()
        guard case .completed = execution.runRequest(&context) else {
            Issue.record("request hooks did not complete")
            return
        }
        guard case .completed = execution.runResponse(&context) else {
            Issue.record("response hooks did not complete")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:b,req:c,res:c,res:b,res:a")
    }

    @Test func shortCircuitSkipsLaterHandlersAndItsOwnResponseHook() {
        var execution = Self.chain([
            TraceHandler(name: "a", behaviour: .proceed),
            TraceHandler(name: "b", behaviour: .respond),
            TraceHandler(name: "c", behaviour: .proceed),
        ]).makeExecution()
        var context = Build.context()
        guard case .respond = execution.runRequest(&context) else {
            Issue.record("expected respond")
            return
        }
        _ = execution.runResponse(&context)
        #expect(context[property: "trail"] == "req:a,req:b,res:a")
        #expect(context.statusCode == 204)
    }

    @Test func faultCarriesTheHandlersFault() {
        var execution = Self.chain([TraceHandler(name: "auth", behaviour: .fault)]).makeExecution()
        var context = Build.context()
        guard case .fault(let fault) = execution.runRequest(&context) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.code == 900901)
        #expect(fault.httpStatus == 401)
    }

    @Test func suspendedHandlerIsCalledAgainAfterTheFuture() throws {
        let loop = EmbeddedEventLoop()
        var execution = Self.chain([
            TraceHandler(name: "a", behaviour: .proceed),
            TraceHandler(name: "slow", behaviour: .suspendOnce(loop, SuspendFlag())),
            TraceHandler(name: "c", behaviour: .proceed),
        ]).makeExecution()
        var context = Build.context()
        guard case .suspend(let future) = execution.runRequest(&context) else {
            Issue.record("expected a suspension")
            return
        }
        try future.wait()
        #expect(context[property: "trail"] == "req:a")
        guard case .completed = execution.runRequest(&context) else {
            Issue.record("expected completion after resuming")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:slow,req:c")
    }

    @Test func responseHooksResumeAfterSuspension() throws {
        struct SlowResponse: GatewayHandler {
            let loop: any EventLoop
            let flag: SuspendFlag
            func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision { .proceed }
            func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
                if flag.takeFirst() { return .suspend(loop.makeSucceededVoidFuture()) }
                TraceHandler.append("res:slow", to: &context)
                return .proceed
            }
        }
        let loop = EmbeddedEventLoop()
        let chain = GatewayHandlerChain([
            (className: "a", handler: TraceHandler(name: "a", behaviour: .proceed)),
            (className: "slow", handler: SlowResponse(loop: loop, flag: SuspendFlag())),
            (className: "c", handler: TraceHandler(name: "c", behaviour: .proceed)),
        ])
        var execution = chain.makeExecution()
        var context = Build.context()
        guard case .completed = execution.runRequest(&context) else {
            Issue.record("request hooks did not complete")
            return
        }
        guard case .suspend = execution.runResponse(&context) else {
            Issue.record("expected the response hook to suspend")
            return
        }
        guard case .completed = execution.runResponse(&context) else {
            Issue.record("expected completion after resuming")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:c,res:c,res:slow,res:a")
    }

    @Test func registryBuildsKnownHandlersAndRejectsUnknownOnes() throws {
        let location = SourceLocation(file: "api.xml", line: 12, column: 5)
        let specs = [
            GatewayHandlerSpec(
                className: "RequestIDHandler",
                properties: [.init(name: "headerName", value: "X-Correlation-ID")]
            ),
            GatewayHandlerSpec(className: "org.wso2.carbon.apimgt.gateway.handlers.Unknown", location: location),
        ]
        do {
            _ = try GatewayHandlerRegistry.standard.makeChain(specs)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unknownHandler("org.wso2.carbon.apimgt.gateway.handlers.Unknown"))
            #expect(error.location?.isSamePlace(as: location) == true)
            #expect(error.description.hasPrefix("api.xml:12:5: unknown handler class"))
        }
        var registry = GatewayHandlerRegistry.standard
        registry.register(names: ["org.wso2.carbon.apimgt.gateway.handlers.Unknown"]) { spec in
            TraceHandler(name: spec.className, behaviour: .proceed)
        }
        #expect(try registry.makeChain(specs).entries.count == 2)
    }

    @Test func requestIDHandlerGeneratesOrKeepsIDs() {
        let handler = RequestIDHandler()
        var context = Build.context()
        _ = handler.handleRequest(&context)
        let generated = context.headers.first(name: "X-Request-ID") ?? ""
        #expect(generated.count == 36)
        #expect(context[property: RequestIDHandler.propertyName]?.stringValue == generated)
        context.receiveResponse(status: 200, headers: HTTPHeaders(), body: .empty)
        _ = handler.handleResponse(&context)
        #expect(context.headers.first(name: "X-Request-ID") == generated)

        var incoming = Build.context(headers: [("X-Request-ID", "client-123")])
        _ = handler.handleRequest(&incoming)
        #expect(incoming[property: RequestIDHandler.propertyName] == "client-123")

        var hostile = Build.context(headers: [("X-Request-ID", String(repeating: "x", count: 500))])
        _ = handler.handleRequest(&hostile)
        #expect(hostile[property: RequestIDHandler.propertyName]?.stringValue.count == 36)
    }

    @Test func requestIDHandlerRejectsBadProperties() {
        #expect(throws: MediationCompileError.self) {
            try RequestIDHandler(
                spec: GatewayHandlerSpec(
                    className: "RequestIDHandler",
                    properties: [.init(name: "trustIncoming", value: "maybe")]
                )
            )
        }
    }

    @Test func headerInjectionHandlerEditsBothDirections() throws {
        let handler = try HeaderInjectionHandler(
            spec: GatewayHandlerSpec(
                className: "HeaderInjectionHandler",
                properties: [
                    .init(name: "request:X-Gateway", value: "sluice"), .init(name: "response:Server", value: ""),
                ]
            )
        )
        var context = Build.context()
        _ = handler.handleRequest(&context)
        #expect(context.headers["X-Gateway"] == ["sluice"])
        context.receiveResponse(status: 200, headers: HTTPHeaders([("Server", "backend/1.0")]), body: .empty)
        _ = handler.handleResponse(&context)
        #expect(context.headers["Server"].isEmpty)
        #expect(throws: MediationCompileError.self) {
            try HeaderInjectionHandler(
                spec: GatewayHandlerSpec(className: "HeaderInjectionHandler", properties: [.init(name: "X-Bad", value: "1")])
            )
        }
    }
}
