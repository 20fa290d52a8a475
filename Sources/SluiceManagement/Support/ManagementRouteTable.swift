import HTTPTypes
import Hummingbird
import Logging
import SluiceArtifacts
import SluiceControlPlane
import SluiceKeyManager
import SluiceStorage
import Synchronization

/// The routes the management REST API registered, in Hummingbird path syntax (`/apis/:apiId`), so the
/// OpenAPI document can be checked against what is really served.
public final class ManagementRouteTable: Sendable {
    /// One registered route.
    public struct Route: Sendable, Hashable, Comparable {
        /// Upper-case HTTP method.
        public var method: String
        /// The path with `:name` parameters.
        public var path: String

        /// The path with OpenAPI's `{name}` parameters.
        public var openAPIPath: String {
            path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
        }

        public static func < (lhs: Route, rhs: Route) -> Bool {
            (lhs.path, lhs.method) < (rhs.path, rhs.method)
        }
    }

    private let entries = Mutex<[Route]>([])

    /// Creates an empty table.
    public init() {}

    /// Every registered route, sorted by path and method.
    public var routes: [Route] { entries.withLock { $0 }.sorted() }

    /// The methods of the routes whose pattern matches `path` (a `:name` segment matches any one segment), sorted;
    /// empty when no route serves the path.
    public func methods(servingPath path: String) -> [String] {
        let segments = path.split(separator: "/")
        let methods = entries.withLock { routes in
            routes.filter { route in
                let pattern = route.path.split(separator: "/")
                return pattern.count == segments.count
                    && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)
        }
        return Set(methods).sorted()
    }

    func record(_ route: Route) {
        entries.withLock { $0.append(route) }
    }
}

/// Adds routes to a router, records them, and turns every error into a JSON ``ManagementError`` in one place.
struct RouteRegistrar<Context: RequestContext> {
    let router: Router<Context>
    let table: ManagementRouteTable
    let logger: Logger

    func on(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        table.record(ManagementRouteTable.Route(method: method.rawValue, path: path))
        let logger = logger
        router.on(RouterPath(path), method: method) { request, context -> Response in
            let ignored = IgnoredFields()
            do {
                var response = try await IgnoredFields.$current.withValue(ignored) {
                    try await handler(request, context)
                }
                if let names = ignored.headerValue { response.headers[IgnoredFields.header] = names }
                return response
            } catch {
                let mapped = Self.map(error, logger: logger)
                return try mapped.response(from: request, context: context)
            }
        }
    }

    func get(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(.get, path, handler)
    }

    func post(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(.post, path, handler)
    }

    func put(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(.put, path, handler)
    }

    func delete(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(.delete, path, handler)
    }

    /// The answer for any error a handler throws.
    static func map(_ error: any Error, logger: Logger) -> ManagementError {
        switch error {
        case let error as ManagementError:
            return error
        case let error as APISourceError:
            return .badRequest("The API's edited Synapse source cannot be deployed: " + error.problems.map(\.message).joined(separator: "; "))
        case let error as LoginThrottled:
            return .tooManyRequests(error.description, retryAfter: error.retryAfter)
        case let error as StorageError:
            switch error.code {
            case .duplicate: return .conflict(error.message)
            case .notFound: return .notFound(error.message)
            case .unavailable:
                logger.error("Storage unavailable", metadata: ["sluice.error": "\(error)"])
                return ManagementError(.serviceUnavailable, detail: "The database is unavailable")
            }
        case let error as APIValidationError:
            return .badRequest(
                error.issues.map(\.description).joined(separator: "; "),
                items: error.issues.map {
                    ManagementError.Item(code: "400", message: $0.field, description: $0.message)
                }
            )
        case let error as LifecycleError:
            switch error.kind {
            case .illegalTransition: return .badRequest(error.description)
            case .invalidDefinition:
                return .badRequest(
                    "The API cannot be deployed: "
                        + (error.validationError?.issues.map(\.description).joined(separator: "; ") ?? "")
                )
            case .deploymentFailed:
                logger.error("Gateway deployment failed", metadata: ["sluice.error": "\(error)"])
                return .internalError("The gateway artifact could not be written")
            }
        case let error as DecodingError:
            return StrictJSONDecoder.badRequest(for: error)
        case let error as OAuth2Error:
            return .badRequest("\(error.code.rawValue): \(error.description)")
        case let error as DeploymentError:
            logger.error("Gateway deployment failed", metadata: ["sluice.error": "\(error)"])
            return .internalError("The gateway artifact could not be written")
        default:
            logger.error(
                "Management request failed",
                metadata: ["sluice.error": "\(String(reflecting: type(of: error)))"]
            )
            return .internalError()
        }
    }
}
