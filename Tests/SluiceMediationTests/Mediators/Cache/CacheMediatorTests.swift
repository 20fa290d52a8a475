import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Synchronization
import Testing

/// `<cache>`: Synapse's finder/collector pair and WSO2 4.x's single-element form, on an injected clock.
@Suite struct CacheMediatorTests {
    /// A settable clock shared with the contexts it stamps.
    final class ManualClock: Sendable {
        let now = Atomic<Int64>(1_000_000)
        var epochClock: EpochClock { EpochClock { [self] in now.load(ordering: .relaxed) } }
        func advance(seconds: Int64) { now.add(seconds * 1000, ordering: .relaxed) }
    }

    /// A finder and its collector compiled once, so several requests share the finder's cache.
    struct Flow: Sendable {
        let finder: CompiledSequence
        let collector: CompiledSequence
        let program: MediationProgram
        let clock = ManualClock()

        init(_ finder: String, collector: String = #"<cache collector="true"/>"#, program: MediationProgram = .empty) throws {
            self.program = program
            self.finder = try Build.sequence(try MediatorXML.roundTrip(finder + #"<property name="missed" value="yes"/>"#), program: program)
            self.collector = try Build.sequence(try MediatorXML.roundTrip(collector), program: program)
        }

        /// Runs one exchange: the finder on the request; on a miss the backend answers and the collector runs.
        /// - Returns: The message the client gets and whether the backend was asked.
        func exchange(
            _ request: MessageContext,
            status: Int = 200,
            headers: [(String, String)] = [("Content-Type", "application/json")],
            body: String = #"{"n":1}"#
        ) throws -> (reply: MessageContext, backendCalled: Bool, step: MediationStep) {
            var context = request
            context.clock = clock.epochClock
            var execution = SequenceExecution(sequence: finder, program: program)
            let step = try execution.run(&context)
            guard context[property: "missed"] != nil else { return (context, false, step) }
            context.receiveResponse(status: status, headers: HTTPHeaders(headers), body: .text(body))
            var out = SequenceExecution(sequence: collector, program: program)
            _ = try out.run(&context)
            return (context, true, step)
        }
    }

    static func get(_ path: String = "/api/1.0/orders", query: String? = nil, headers: [(String, String)] = []) -> MessageContext {
        Build.context(method: "GET", path: path, query: query, headers: headers)
    }

    static func post(_ body: String, contentType: String = "application/xml") -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
    }

    @Test func everyFormRoundTrips() throws {
        let forms = [
            #"<cache id="c1" scope="per-host" collector="false" hashGenerator="org.wso2.caching.digest.DOMHASHGenerator" timeout="20" maxMessageSize="10000"><onCacheHit sequence="hit"/><implementation type="memory" maxSize="100"/></cache>"#,
            #"<cache id="c1" scope="per-mediator" collector="true"/>"#,
            #"<cache timeout="5000" maxMessageSize="1000"><onCacheHit><log/><respond/></onCacheHit><protocol type="HTTP"><methods>GET, POST</methods>"#
                + "<headersToExcludeInHash>X-A,X-B</headersToExcludeInHash><headersToIncludeInHash>Accept</headersToIncludeInHash>"
                + "<responseCodes>2[0-9][0-9]</responseCodes><enableCacheControl>true</enableCacheControl><includeAgeHeader>false</includeAgeHeader>"
                + "<hashGenerator>org.wso2.carbon.mediator.cache.digest.HttpRequestHashGenerator</hashGenerator></protocol><implementation maxSize=\"20\"/></cache>",
            #"<cache><onCacheHit/></cache>"#,
        ]
        for form in forms {
            let read = try MediatorXML.roundTrip(form)
            #expect(read.first?.as(CacheMediator.self) != nil, "\(form)")
        }
        let read = try MediatorXML.roundTrip(forms[2])
        let settings = try #require(read.first?.as(CacheMediator.self)?.protocolSettings)
        #expect(settings.methods == ["GET", "POST"])
        #expect(settings.headersToExclude == ["X-A", "X-B"])
        #expect(settings.enableCacheControl == true)
    }

    @Test(arguments: [
        (#"<cache timeout="soon"/>"#, "'timeout' must be an integer"),
        (#"<cache timeout="-1"/>"#, "'timeout' of <cache> must be at least 0"),
        (#"<cache scope="global"/>"#, "invalid scope 'global'"),
        (#"<cache collector="maybe"/>"#, "must be true or false"),
        (#"<cache><implementation maxSize="0"/></cache>"#, "'maxSize' of <implementation> must be at least 1"),
        (#"<cache><protocol type="JMS"/></cache>"#, "only HTTP"),
        (#"<cache><protocol><methods>GET,FETCH</methods></protocol></cache>"#, "unknown method 'FETCH'"),
        (#"<cache><protocol><includeAgeHeader>yes</includeAgeHeader></protocol></cache>"#, "must be true or false, not 'yes'"),
        (#"<cache><protocol><colour/></protocol></cache>"#, "colour"),
        (#"<cache><onCacheHit/><onCacheHit/></cache>"#, "more than one <onCacheHit>"),
        (#"<cache collector="true"><onCacheHit/></cache>"#, "takes no <onCacheHit>"),
        (#"<cache><store/></cache>"#, "store"),
    ])
    func badConfigurationsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test(arguments: [
        (#"<cache hashGenerator="com.example.MyHash"/>"#, "hash generator 'com.example.MyHash'"),
        (#"<cache><implementation type="disk"/></cache>"#, "implementation type 'disk'"),
        (#"<cache><protocol><responseCodes>2[0-9</responseCodes></protocol></cache>"#, "2[0-9"),
    ])
    func unusableConfigurationsFailToCompile(xml: String, problem: String) throws {
        let mediators = try MediatorXML.roundTrip(xml)
        do {
            _ = try Build.sequence(mediators)
            Issue.record("\(xml) compiled")
        } catch {
            #expect("\(error)".contains(problem), "\(error)")
        }
    }

    @Test func aJSONResponseIsAnsweredFromTheCacheWithStatusHeadersAndBody() throws {
        let flow = try Flow(#"<cache timeout="60"/>"#)
        let first = try flow.exchange(Self.get(query: "a=1"), status: 203, headers: [("Content-Type", "application/json"), ("X-Backend", "b1")], body: #"{"id":7}"#)
        #expect(first.backendCalled)
        let second = try flow.exchange(Self.get(query: "a=1"), body: "{}")
        #expect(!second.backendCalled)
        guard case .respond = second.step else {
            Issue.record("a hit answers the client, got \(second.step)")
            return
        }
        #expect(second.reply.statusCode == 203)
        #expect(second.reply.headers.first(name: "X-Backend") == "b1")
        #expect(second.reply.body.string == #"{"id":7}"#)
        #expect(second.reply.isResponse)
        // Another query is another request.
        #expect(try flow.exchange(Self.get(query: "a=2")).backendCalled)
    }

    @Test func xmlRequestsAreDigestedWithTheirBody() throws {
        let flow = try Flow(#"<cache><protocol type="HTTP"><methods>POST</methods></protocol></cache>"#)
        let soap = [("Content-Type", "text/xml")]
        #expect(try flow.exchange(Self.post("<order><id>1</id></order>"), headers: soap, body: "<ok>1</ok>").backendCalled)
        #expect(try flow.exchange(Self.post("<order><id>2</id></order>"), headers: soap, body: "<ok>2</ok>").backendCalled)
        let hit = try flow.exchange(Self.post("<order><id>1</id></order>"))
        #expect(!hit.backendCalled)
        #expect(hit.reply.body.string == "<ok>1</ok>")
        #expect(hit.reply.headers.first(name: "Content-Type") == "text/xml")
        // GET is not among the methods: never looked up, never stored.
        #expect(try flow.exchange(Self.get()).backendCalled)
        #expect(try flow.exchange(Self.get()).backendCalled)
    }

    @Test func entriesExpireOnTheInjectedClock() throws {
        let flow = try Flow(#"<cache timeout="30"><protocol><includeAgeHeader>true</includeAgeHeader></protocol></cache>"#)
        #expect(try flow.exchange(Self.get()).backendCalled)
        flow.clock.advance(seconds: 29)
        let hit = try flow.exchange(Self.get())
        #expect(!hit.backendCalled)
        #expect(hit.reply.headers.first(name: "Age") == "29")
        flow.clock.advance(seconds: 1)
        #expect(try flow.exchange(Self.get()).backendCalled)
    }

    @Test func theCacheKeepsAtMostMaxSizeEvictingTheLeastRecentlyUsed() throws {
        let flow = try Flow(#"<cache><implementation maxSize="2"/></cache>"#)
        for path in ["/a", "/b"] { #expect(try flow.exchange(Self.get(path)).backendCalled) }
        #expect(try !flow.exchange(Self.get("/a")).backendCalled)  // /a is now the most recently used
        #expect(try flow.exchange(Self.get("/c")).backendCalled)  // evicts /b
        #expect(try !flow.exchange(Self.get("/a")).backendCalled)
        #expect(try flow.exchange(Self.get("/b")).backendCalled)
    }

    @Test func chosenHeadersSplitTheCacheAndOthersDoNot() throws {
        let flow = try Flow(#"<cache><protocol><headersToExcludeInHash>X-Trace</headersToExcludeInHash></protocol></cache>"#)
        #expect(try flow.exchange(Self.get(headers: [("Accept", "application/json"), ("X-Trace", "1"), ("X-Request-ID", "r1")])).backendCalled)
        #expect(try !flow.exchange(Self.get(headers: [("X-Trace", "2"), ("Accept", "application/json"), ("X-Request-ID", "r2")])).backendCalled)
        #expect(try flow.exchange(Self.get(headers: [("Accept", "application/xml")])).backendCalled)

        let only = try Flow(#"<cache><protocol><headersToIncludeInHash>Accept</headersToIncludeInHash></protocol></cache>"#)
        #expect(try only.exchange(Self.get(headers: [("Accept", "a"), ("Authorization", "Bearer 1")])).backendCalled)
        #expect(try !only.exchange(Self.get(headers: [("Accept", "a"), ("Authorization", "Bearer 2")])).backendCalled)
        #expect(try only.exchange(Self.get(headers: [("Accept", "b")])).backendCalled)
    }

    @Test func responsesOutsideTheRulesAreNotStored() throws {
        let flow = try Flow(#"<cache maxMessageSize="10"><protocol><responseCodes>2[0-9][0-9]</responseCodes></protocol></cache>"#)
        #expect(try flow.exchange(Self.get("/err"), status: 500).backendCalled)
        #expect(try flow.exchange(Self.get("/err"), status: 500).backendCalled)
        #expect(try flow.exchange(Self.get("/big"), body: #"{"long":"0123456789"}"#).backendCalled)
        #expect(try flow.exchange(Self.get("/big"), body: #"{"long":"0123456789"}"#).backendCalled)
        #expect(try flow.exchange(Self.get("/ok"), body: "{}").backendCalled)
        #expect(try !flow.exchange(Self.get("/ok")).backendCalled)
    }

    @Test func cacheControlIsHonouredWhenEnabled() throws {
        let flow = try Flow(#"<cache timeout="600"><protocol><enableCacheControl>true</enableCacheControl></protocol></cache>"#)
        let noStore = [("Cache-Control", "no-store")]
        #expect(try flow.exchange(Self.get("/n"), headers: noStore).backendCalled)
        #expect(try flow.exchange(Self.get("/n"), headers: noStore).backendCalled)
        #expect(try flow.exchange(Self.get("/m"), headers: [("Cache-Control", "public, max-age=10")]).backendCalled)
        flow.clock.advance(seconds: 9)
        #expect(try !flow.exchange(Self.get("/m")).backendCalled)
        flow.clock.advance(seconds: 1)
        #expect(try flow.exchange(Self.get("/m")).backendCalled)

        let ignoring = try Flow(#"<cache timeout="600"/>"#)
        #expect(try ignoring.exchange(Self.get("/n"), headers: noStore).backendCalled)
        #expect(try !ignoring.exchange(Self.get("/n")).backendCalled)
    }

    @Test func onCacheHitRunsInlineOrNamedMediatorsThenAnswers() throws {
        let inline = try Flow(#"<cache><onCacheHit><property name="X-Cache" value="HIT" scope="transport"/></onCacheHit></cache>"#)
        _ = try inline.exchange(Self.get())
        let hit = try inline.exchange(Self.get())
        #expect(!hit.backendCalled)
        #expect(hit.reply.headers.first(name: "X-Cache") == "HIT")
        guard case .respond = hit.step else {
            Issue.record("expected respond, got \(hit.step)")
            return
        }

        let program = try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse"><sequence name="hit"><property name="HTTP_SC" value="299" scope="axis2"/><drop/></sequence></definitions>"#,
                fileName: "hit.xml"
            )
        )
        let named = try Flow(#"<cache><onCacheHit sequence="hit"/></cache>"#, program: program)
        _ = try named.exchange(Self.get())
        let dropped = try named.exchange(Self.get())
        #expect(dropped.reply.statusCode == 299)
        guard case .drop = dropped.step else {
            Issue.record("expected drop, got \(dropped.step)")
            return
        }
    }

    @Test func aFinderInTheOutFlowCollectsAndACollectorWithoutAFinderDoesNothing() throws {
        let flow = try Flow(#"<cache/>"#, collector: #"<cache id="x"/>"#)
        #expect(try flow.exchange(Self.get()).backendCalled)
        #expect(try !flow.exchange(Self.get()).backendCalled)

        var response = Self.get()
        response.receiveResponse(status: 200, headers: [:], body: .text("x"))
        try Build.run(try MediatorXML.roundTrip(#"<cache collector="true"/>"#), on: &response)
        #expect(response.body.string == "x")
    }

    @Test func concurrentRequestsShareOneCacheSafely() async throws {
        let flow = try Flow(#"<cache><implementation maxSize="50"/></cache>"#)
        let misses = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var misses = 0
                    for round in 0..<200 {
                        let path = "/item/\((worker + round) % 40)"
                        let result = try flow.exchange(Self.get(path), body: #"{"path":"\#(path)"}"#)
                        if result.backendCalled {
                            misses += 1
                        } else {
                            #expect(result.reply.body.string == #"{"path":"\#(path)"}"#)
                        }
                    }
                    return misses
                }
            }
            return try await group.reduce(0, +)
        }
        // 40 distinct requests fit: each misses at least once, and the rest of the 1,600 hit (racing first
        // requests may all miss).
        #expect(misses >= 40)
        #expect(misses < 1600 / 2)
    }
}
