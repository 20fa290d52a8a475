import Hummingbird
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel

/// `GET /metrics`: the Prometheus text exposition, to the clients ``MetricsAccess`` allows. The metrics name
/// every API and its traffic, so by default only loopback clients and administrators read them.
struct MetricsController: Sendable {
    let render: @Sendable () -> String
    let access: MetricsAccess
    let adminAuthenticator: AdminAuthenticator

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/metrics") { request, context in
            let admitted: Bool
            do {
                admitted = try await allowed(request)
            } catch let error as LoginThrottled {
                return try ManagementError.tooManyRequests(error.description, retryAfter: error.retryAfter)
                    .response(from: request, context: context)
            }
            guard admitted else {
                return try ManagementError.unauthenticated(
                    "The metrics need the Basic credentials of an administrator"
                ).response(from: request, context: context)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: render()))
            )
        }
    }

    private func allowed(_ request: Request) async throws -> Bool {
        switch access {
        case .public: return true
        case .loopback where ClientAddress.current.map(Self.isLoopback) == true: return true
        case .loopback, .authenticated:
            guard case .credentials(let credentials) = BasicCredentials.parse(request.headers, formEncoded: false)
            else { return false }
            return try await adminAuthenticator.isAdmin(credentials)
        }
    }

    /// `127.0.0.0/8`, `::1` (also IPv4-mapped) and Unix-domain peers.
    static func isLoopback(_ address: String) -> Bool {
        address == "local" || address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}
