import Benchmark
import SluiceGateway
import SluiceModel
import SluiceSynapse

/// Built by the setup hooks, read by the measured closures.
let smallRoutes = FixtureSlot<RouteFixture>()
let largeRoutes = FixtureSlot<RouteFixture>()
let largeRouteAPIs = FixtureSlot<[SynapseAPI]>()
let mediation = FixtureSlot<MediationFixture>()
let keyValidation = FixtureSlot<KeyValidationFixture>()
let throttle = FixtureSlot<ThrottleFixture>()

let benchmarks: @Sendable () -> Void = {
    // Wall clock and allocations per operation; a sample runs `scalingFactor` operations so timer and interposer
    // overhead vanish beside operations that take well under a microsecond.
    let perOperation = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    let slow = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 200
    )

    Benchmark("Route lookup, 1 API", configuration: perOperation) { benchmark in
        let fixture = smallRoutes.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.route())
        }
    } setup: {
        smallRoutes.store(try RouteFixture(apiCount: 1))
    }

    Benchmark("Route lookup, 10,000 APIs", configuration: perOperation) { benchmark in
        let fixture = largeRoutes.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.route())
        }
    } setup: {
        largeRoutes.store(try RouteFixture(apiCount: 10_000))
    }

    Benchmark("Router build, 10,000 APIs", configuration: slow) { benchmark in
        let apis = largeRouteAPIs.value
        for _ in benchmark.scaledIterations {
            blackHole(APIRouter(apis: apis))
        }
    } setup: {
        let parser = SynapseParser()
        largeRouteAPIs.store(try (0..<10_000).flatMap { index in
            try parser.parse(
                xml: """
                    <api xmlns="http://ws.apache.org/ns/synapse" name="gen--Svc\(index)" context="/svc\(index)/1.0">
                        <resource methods="GET POST" url-mapping="/*"><inSequence><drop/></inSequence></resource>
                    </api>
                    """,
                fileName: "gen--Svc\(index)_v1.0.xml"
            ).apis
        })
    }

    Benchmark("Sequence run: property + header + payloadFactory (JSON)", configuration: perOperation) { benchmark in
        let fixture = mediation.value
        // Fresh request contexts, made before the measurement: the gateway builds one per request anyway.
        var contexts = benchmark.scaledIterations.map { _ in fixture.makeContext() }
        benchmark.startMeasurement()
        for index in contexts.indices {
            blackHole(try fixture.run(&contexts[index]))
        }
        benchmark.stopMeasurement()
    } setup: {
        mediation.store(try MediationFixture())
    }

    Benchmark("Key validation: in-memory token lookup", configuration: perOperation) { benchmark in
        let fixture = keyValidation.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.keyManager.validationService.validate(fixture.request))
        }
    } setup: {
        keyValidation.store(try await KeyValidationFixture())
    }

    Benchmark("Key validation: cache hit", configuration: perOperation) { benchmark in
        let fixture = keyValidation.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.cache.lookup(fixture.request, apiScope: KeyValidationFixture.apiScope))
        }
    } setup: {
        keyValidation.store(try await KeyValidationFixture())
    }

    Benchmark("Throttle decision: four counted levels", configuration: perOperation) { benchmark in
        let fixture = throttle.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.engine.evaluate(fixture.everyLevel))
        }
    } setup: {
        throttle.store(try ThrottleFixture())
    }

    Benchmark("Throttle decision: Unlimited", configuration: perOperation) { benchmark in
        let fixture = throttle.value
        for _ in benchmark.scaledIterations {
            blackHole(fixture.engine.evaluate(fixture.unlimited))
        }
    } setup: {
        throttle.store(try ThrottleFixture())
    }

    Benchmark("XML parse: PizzaShack API artifact", configuration: slow) { benchmark in
        let xml = RepositoryFiles.text(of: RepositoryFiles.pizzaShackAPI)
        let parser = SynapseParser()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try parser.parse(xml: xml, fileName: "admin--PizzaShackAPI_v1.0.0.xml"))
        }
        benchmark.stopMeasurement()
    }
}
