import SluiceGateway
import SluiceModel
import SluiceSynapse

/// A router over `apiCount` generated passthrough APIs with distinct contexts (`/svcN/1.0`), and the request
/// target of the API in the middle, as `scripts/bench-scale` deploys them.
struct RouteFixture: Sendable {
    let router: APIRouter
    let target: RequestTarget

    init(apiCount: Int) throws {
        let parser = SynapseParser()
        var apis: [SynapseAPI] = []
        apis.reserveCapacity(apiCount)
        for index in 0..<apiCount {
            let xml = """
                <api xmlns="http://ws.apache.org/ns/synapse" name="gen--Svc\(index)" context="/svc\(index)/1.0">
                    <resource methods="GET POST" url-mapping="/*">
                        <inSequence>
                            <send><endpoint><address uri="http://127.0.0.1:9000/bench"/></endpoint></send>
                        </inSequence>
                        <outSequence><send/></outSequence>
                    </resource>
                </api>
                """
            apis += try parser.parse(xml: xml, fileName: "gen--Svc\(index)_v1.0.xml").apis
        }
        router = APIRouter(apis: apis)
        target = RequestTarget(uri: "/svc\(apiCount / 2)/1.0/1k?page=2")
        guard case .matched = route() else {
            fatalError("the route fixture does not match its own target")
        }
    }

    func route() -> APIRouter.Result {
        router.route(method: "GET", target: target, host: "localhost", port: 8280)
    }
}
