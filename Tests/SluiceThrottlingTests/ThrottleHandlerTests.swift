import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceThrottling

/// The handler on the real engine and counters, with a manual clock.
@Suite struct ThrottleHandlerTests {
    static let start: Int64 = 1_578_502_680_000  // 2020-01-08 16:58:00 UTC

    static func resource(tier: String? = nil, authType: ResourceAuthType = .any) -> DispatchedResource {
        DispatchedResource(
            apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0", resourceTemplate: "/menu",
            methods: ["GET"], authType: authType, throttlingTier: tier
        )
    }

    static func caller(
        app: String = "app-1", subscription: String = "Unlimited", application: String = "Unlimited",
        user: String = "bob", keyType: KeyType = .production, accept: String = "application/json"
    ) -> MessageContext {
        var context = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu", headers: ["Accept": accept])
        context[property: "api.ut.application.id"] = .string(app)
        context[property: "api.ut.tier"] = .string(subscription)
        context[property: "api.ut.application.tier"] = .string(application)
        context[property: "api.ut.userId"] = .string(user)
        context[property: "AM_KEY_TYPE"] = .string(keyType.rawValue)
        return context
    }

    static func engine(_ tiers: [TierLevel: TierSet] = [:]) -> (ThrottleEngine, ManualThrottleClock) {
        let clock = ManualThrottleClock(startingAt: start)
        return (ThrottleEngine(catalog: ThrottleTierCatalog(tiers), clock: clock), clock)
    }

    /// Runs `count` calls and returns the codes of the refused ones (0 for admitted).
    static func run(
        _ handler: ThrottleHandler, _ count: Int, resource: DispatchedResource = resource(),
        _ make: () -> MessageContext
    ) -> [Int] {
        (0..<count).map { _ in
            var context = make()
            switch handler.handleRequest(&context, resource: resource) {
            case .proceed: return 0
            default: return context[property: "ERROR_CODE"].flatMap { Int($0.stringValue) } ?? -1
            }
        }
    }

    static func body(_ context: MessageContext) -> String {
        guard case .buffered(let buffer) = context.body else { return "" }
        return String(buffer: buffer)
    }

    @Test func subscriptionTierThrottlesWith429AndWSO2Fault() {
        let (engine, clock) = Self.engine()
        let handler = ThrottleHandler(engine: engine)
        #expect(Self.run(handler, 5) { Self.caller(subscription: "Silver") } == [0, 0, 0, 0, 0])
        var refused = Self.caller(subscription: "Silver")
        guard case .respond = handler.handleRequest(&refused, resource: Self.resource()) else {
            Issue.record("the sixth call must be throttled")
            return
        }
        #expect(refused.statusCode == 429)
        #expect(refused.headers.first(name: "Retry-After") == "60")
        #expect(
            Self.body(refused)
                == #"{"fault":{"code":900804,"message":"Message throttled out","description":"You have exceeded your quota","#
                + #""nextAccessTime":"2020-Jan-08 16:59:00+0000 UTC"}}"#
        )
        #expect(refused[property: "THROTTLED_OUT_REASON"] == "SUBSCRIPTION_LIMIT_EXCEEDED")
        // Another application has its own subscription counter.
        #expect(Self.run(handler, 1) { Self.caller(app: "app-2", subscription: "Silver") } == [0])
        clock.advance(by: 60_000)
        #expect(Self.run(handler, 1) { Self.caller(subscription: "Silver") } == [0])
    }

    @Test func xmlBodyForXMLClients() {
        let (engine, _) = Self.engine()
        let handler = ThrottleHandler(engine: engine)
        _ = Self.run(handler, 1) { Self.caller(subscription: "Bronze", accept: "application/xml") }
        var refused = Self.caller(subscription: "Bronze", accept: "application/xml")
        _ = handler.handleRequest(&refused, resource: Self.resource())
        #expect(
            Self.body(refused)
                == #"<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900804</amt:code>"#
                + "<amt:message>Message throttled out</amt:message><amt:description>You have exceeded your quota"
                + "</amt:description><amt:nextAccessTime>2020-Jan-08 16:59:00+0000 UTC</amt:nextAccessTime></amt:fault>"
        )
    }

    @Test func applicationTierCountsPerApplicationAndUser() {
        let (engine, _) = Self.engine()
        let handler = ThrottleHandler(engine: engine)
        #expect(Self.run(handler, 2) { Self.caller(application: "Small", user: "bob") } == [0, 900803])
        #expect(Self.run(handler, 1) { Self.caller(application: "Small", user: "carol") } == [0])
    }

    @Test func apiAndResourceLevels() throws {
        let (engine, _) = Self.engine()
        let api = try ThrottleHandler(
            spec: GatewayHandlerSpec(className: "ThrottleHandler", properties: [.init(name: "APILevelPolicy", value: "Basic")]),
            engine: engine
        )
        #expect(Self.run(api, 2) { Self.caller() } == [0, 900800])
        let (resourceEngine, _) = Self.engine()
        let resourceLevel = ThrottleHandler(engine: resourceEngine)
        let plus = Self.resource(tier: "Plus")
        #expect(Self.run(resourceLevel, 6, resource: plus) { Self.caller() }
            == [0, 0, 0, 0, 0, 900802])
    }

    @Test func unauthenticatedCallersCountPerClientIP() {
        let (engine, _) = Self.engine([.subscription: TierSet(level: .subscription, tiers: [
            ThrottleTier(name: "Unauthenticated", maxCount: 2, unitTime: 60_000),
        ])])
        let handler = ThrottleHandler(engine: engine)
        let open = Self.resource(authType: .none)
        func anonymous(_ ip: String) -> MessageContext {
            var context = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/menu")
            context[property: "api.ut.clientIp"] = .string(ip)
            return context
        }
        #expect(Self.run(handler, 3, resource: open) { anonymous("192.0.2.1") } == [0, 0, 900804])
        #expect(Self.run(handler, 2, resource: open) { anonymous("192.0.2.2") } == [0, 0])
    }

    @Test func unlimitedIsNeverThrottled() {
        let (engine, _) = Self.engine()
        let handler = ThrottleHandler(engine: engine)
        #expect(Self.run(handler, 500) { Self.caller() }.allSatisfy { $0 == 0 })
    }

    @Test func hardLimitIs503PerKeyType() throws {
        let (engine, clock) = Self.engine()
        let handler = try ThrottleHandler(
            spec: GatewayHandlerSpec(
                className: "org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler",
                properties: [.init(name: "productionMaxCount", value: "2"), .init(name: "sandboxMaxCount", value: "1")]
            ),
            engine: engine
        )
        #expect(Self.run(handler, 2) { Self.caller() } == [0, 0])
        var refused = Self.caller()
        _ = handler.handleRequest(&refused, resource: Self.resource())
        #expect(refused.statusCode == 503)
        #expect(Self.body(refused) == #"{"fault":{"code":900801,"message":"API Limit Reached","description":"API not accepting requests"}}"#)
        #expect(refused.headers.first(name: "Retry-After") == "1")
        clock.advance(by: 1_000)
        // The hard limit is per API: both key types share one counter, each against its own limit.
        #expect(Self.run(handler, 2) { Self.caller(keyType: .sandbox) } == [0, 900801])
        #expect(throws: MediationCompileError.self) {
            try ThrottleHandler(
                spec: GatewayHandlerSpec(className: "ThrottleHandler", properties: [.init(name: "productionMaxCount", value: "ten")]),
                engine: engine
            )
        }
    }

    @Test func burstControlComesBeforeTheQuota() {
        let tiers: [TierLevel: TierSet] = [
            .subscription: TierSet(level: .subscription, tiers: [
                ThrottleTier(name: "Bursty", maxCount: 100, unitTime: 60_000, burstLimit: 2, burstUnitTime: 1_000)
            ]),
            .application: TierSet(level: .application, tiers: [
                ThrottleTier(name: "AppBurst", maxCount: 100, unitTime: 60_000, burstLimit: 1, burstUnitTime: 1_000)
            ]),
        ]
        let (engine, clock) = Self.engine(tiers)
        let handler = ThrottleHandler(engine: engine)
        #expect(Self.run(handler, 3) { Self.caller(subscription: "Bursty") } == [0, 0, 900807])
        clock.advance(by: 1_000)
        #expect(Self.run(handler, 2) { Self.caller(subscription: "Bursty") } == [0, 0])
        #expect(Self.run(handler, 2) { Self.caller(app: "app-9", application: "AppBurst") } == [0, 900809])
    }

    @Test func tierChangesApplyWithoutARestart() {
        let (engine, _) = Self.engine()
        let handler = ThrottleHandler(engine: engine)
        #expect(Self.run(handler, 2) { Self.caller(subscription: "Custom") } == [0, 0])
        engine.catalog.upsert(ThrottleTier(name: "Custom", maxCount: 3, unitTime: 60_000), level: .subscription)
        #expect(Self.run(handler, 4) { Self.caller(subscription: "Custom") } == [0, 0, 0, 900804])
    }

    @Test func exactlyTheLimitIsAdmittedUnderConcurrency() async {
        let (engine, _) = Self.engine([.subscription: TierSet(level: .subscription, tiers: [
            ThrottleTier(name: "Hundred", maxCount: 100, unitTime: 60_000)
        ])])
        let handler = ThrottleHandler(engine: engine)
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    Self.run(handler, 50) { Self.caller(subscription: "Hundred") }.filter { $0 == 0 }.count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 100)
    }

    @Test func nextAccessTimeFormat() {
        #expect(NextAccessTime.format(millis: 0) == "1970-Jan-01 00:00:00+0000 UTC")
        #expect(NextAccessTime.format(millis: 1_709_210_096_000) == "2024-Feb-29 12:34:56+0000 UTC")
        #expect(NextAccessTime.format(millis: 951_868_799_000) == "2000-Feb-29 23:59:59+0000 UTC")
    }
}
