import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

@testable import SluiceAnalytics

@Suite struct UsageRecorderTests {
    static let resource = DispatchedResource(
        apiName: "admin--PizzaShackAPI", context: "/pizzashack/1.0.0", version: "1.0.0",
        resourceTemplate: "/orders/{id}", methods: ["GET"]
    )

    @Test func oneEventWithWSO2FieldsPerCall() {
        let now = Mutex<Int64>(10_000)
        let queue = UsageEventQueue(capacity: 10)
        let metrics = UsageMetrics()
        let recorder = UsageRecorder(queue: queue, metrics: metrics, clock: EpochClock { now.withLock { $0 } })
        let latency = LatencyStatsHandler(recorder: recorder)
        let usage = UsageHandler(recorder: recorder)
        var context = MessageContext(
            method: "GET", requestPath: "/pizzashack/1.0.0/orders/7",
            headers: ["User-Agent": "curl/8", "Host": "gw.example", "Content-Length": "0"]
        )
        _ = latency.handleRequest(&context)
        _ = usage.handleRequest(&context)
        context[property: "api.ut.application.id"] = "app-1"
        context[property: "api.ut.application.name"] = "Shop"
        context[property: "api.ut.consumerKey"] = "ck"
        context[property: "api.ut.userId"] = "bob"
        context[property: "AM_KEY_TYPE"] = "PRODUCTION"
        context[property: "api.ut.clientIp"] = "192.0.2.9"
        context[property: "REST_SUB_REQUEST_PATH"] = "/orders/7"
        context[property: "api.ut.backendRequestTime"] = .integer(10_005)
        now.withLock { $0 = 10_030 }
        context.receiveResponse(status: 201, headers: [:], body: .buffered(ByteBuffer(string: "12345")))
        context[property: "api.ut.responseTime"] = .integer(10_025)
        recorder.recordResponse(&context, resource: Self.resource)
        // The latency handler runs after the usage handler on the way back and must not count the call again.
        _ = latency.handleResponse(&context)
        let events = queue.drain(maxCount: 10)
        #expect(events.count == 1)
        let event = events[0]
        #expect(event.requestTime == 10_000)
        #expect(event.responseTimeMillis == 30)
        #expect(event.backendTimeMillis == 20)
        #expect(event.apiName == "admin--PizzaShackAPI")
        #expect(event.apiProvider == "admin")
        #expect(event.resourceTemplate == "/orders/{id}")
        #expect(event.resourcePath == "/orders/7")
        #expect(event.applicationID == "app-1")
        #expect(event.applicationName == "Shop")
        #expect(event.consumerKey == "ck")
        #expect(event.username == "bob")
        #expect(event.keyType == "PRODUCTION")
        #expect(event.clientIP == "192.0.2.9")
        #expect(event.userAgent == "curl/8")
        #expect(event.hostName == "gw.example")
        #expect(event.responseCode == 201)
        #expect(event.responseSize == 5)
        #expect(event.requestSize == 0)
        let text = metrics.render()
        #expect(text.contains(#"sluice_api_requests_total{api="admin--PizzaShackAPI",version="1.0.0",code="201"} 1"#))
        #expect(text.contains("sluice_api_request_duration_seconds_bucket"))
        #expect(text.contains("sluice_api_backend_duration_seconds_count"))
    }

    @Test func refusedCallsAreRecordedByTheLatencyHandlerAndDropsCounted() {
        let queue = UsageEventQueue(capacity: 1)
        let metrics = UsageMetrics()
        let recorder = UsageRecorder(queue: queue, metrics: metrics, clock: EpochClock { 5 })
        for _ in 0..<2 {
            var context = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/orders/7")
            recorder.markRequest(&context)
            context[property: "THROTTLED_OUT_REASON"] = "SUBSCRIPTION_LIMIT_EXCEEDED"
            context[property: "ERROR_CODE"] = .integer(900804)
            context.receiveResponse(status: 429, headers: [:], body: .empty)
            recorder.recordResponse(&context, resource: Self.resource)
        }
        let event = queue.drain(maxCount: 5)
        #expect(event.count == 1)
        #expect(event.first?.throttledOutReason == "SUBSCRIPTION_LIMIT_EXCEEDED")
        #expect(event.first?.errorCode == 900804)
        #expect(queue.droppedCount == 1)
        #expect(metrics.render().contains("sluice_usage_events_dropped_total 1"))
        #expect(metrics.render().contains(#"sluice_api_throttled_total{api="admin--PizzaShackAPI",version="1.0.0",reason="SUBSCRIPTION_LIMIT_EXCEEDED"} 2"#))
    }

    @Test func theCallerComesFromTheRecordedCallUnlessAMediatorChangedIt() {
        let queue = UsageEventQueue(capacity: 10)
        let recorder = UsageRecorder(queue: queue, clock: EpochClock { 7 })
        let caller = CallProperties.Caller(
            keyType: "SANDBOX", consumerKey: "ck-2", user: "carol", applicationID: "app-2", applicationName: "Kiosk",
            applicationOwner: "carol", subscriptionTier: "Gold", applicationTier: "Unlimited"
        )
        for renamed in [false, true] {
            var context = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/orders/7")
            recorder.markRequest(&context)
            context.recordCall(
                CallProperties(
                    resource: Self.resource, method: "GET", hostName: nil, userAgent: nil, clientIP: "198.51.100.4",
                    caller: caller
                )
            )
            if renamed {
                context[property: "api.ut.application.name"] = "Renamed"
                context[property: "api.ut.tier"] = nil
            }
            context.receiveResponse(status: 200, headers: [:], body: .empty)
            recorder.recordResponse(&context, resource: Self.resource)
            recorder.recordResponse(&context, resource: Self.resource)
            let events = queue.drain(maxCount: 10)
            #expect(events.count == 1)
            #expect(events.first?.applicationID == "app-2")
            #expect(events.first?.applicationName == (renamed ? "Renamed" : "Kiosk"))
            #expect(events.first?.applicationOwner == "carol")
            #expect(events.first?.consumerKey == "ck-2")
            #expect(events.first?.username == "carol")
            #expect(events.first?.keyType == "SANDBOX")
            #expect(events.first?.tier == (renamed ? nil : "Gold"))
            #expect(events.first?.clientIP == "198.51.100.4")
        }
    }
}

