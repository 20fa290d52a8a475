import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceArtifacts
import SluiceControlPlane
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluiceStorage
import SluiceTesting
import Synchronization
import Testing

/// Records the policy changes the admin API reports.
final class PolicyChangeLog: Sendable {
    private let changes = Mutex<[ThrottlingPolicyChange]>([])

    func append(_ change: ThrottlingPolicyChange) { changes.withLock { $0.append(change) } }

    var all: [ThrottlingPolicyChange] { changes.withLock { $0 } }
}

/// Records the lifecycle changes the publisher reports (context, version, state).
final class LifecycleChangeLog: Sendable {
    private let changes = Mutex<[String]>([])

    func append(_ context: String, _ version: String, _ state: APILifecycleState) {
        changes.withLock { $0.append("\(context) \(version) \(state.rawValue)") }
    }

    var all: [String] { changes.withLock { $0 } }
}

/// A management app over an in-memory database and a temporary gateway folder, with the users of
/// `TestUserRoster` (`admin`, `chris`, `pat`, `alice`, `bob`) and `nobody` (no role).
struct ManagementFixture {

    let storage: SQLiteStorage
    let keyManager: KeyManager
    let services: APIManagerServices
    let apiFolder: URL
    let policyChanges = PolicyChangeLog()
    let lifecycleChanges = LifecycleChangeLog()
    let clock = ManualWallClock()

    init() async throws {
        storage = try SQLiteStorage.inMemory()
        keyManager = try await KeyManager(
            storage: storage,
            configuration: KeyManagerConfiguration(passwordHasher: .insecureForTesting(iterations: 10), clock: clock)
        )
        try await TestUserRoster.create(in: keyManager, extraUsers: [("nobody", [])])
        apiFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-management-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: apiFolder, withIntermediateDirectories: true)
        let log = policyChanges
        let lifecycleLog = lifecycleChanges
        services = APIManagerServices(
            keyManager: keyManager,
            storage: storage,
            lifecycleExecutor: LifecycleExecutor(deployer: DeploymentFolderWriter(apiFolder: apiFolder.path)),
            configuration: APIManagerConfiguration(
                onThrottlingPolicyChange: { log.append($0) },
                onLifecycleChange: { lifecycleLog.append($0, $1, $2) }
            )
        )
    }

    static func password(_ user: String) -> String { TestUserRoster.password(user) }

    /// The app with the management routes, and the routes registered.
    func application() -> (some ApplicationProtocol, ManagementRouteTable) {
        let router = Router()
        let table = ManagementRoutes.addAPIManagerRoutes(to: router, services: services)
        return (Application(router: router), table)
    }

    /// Runs `body` against the app through the router test client.
    func test(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
        let (app, _) = application()
        try await app.test(.router) { client in try await body(Client(client: client)) }
    }

    /// Runs `body` against the whole management app as `sluice server` builds it: the guards (client address,
    /// anonymous rate limit), the OAuth2 endpoints and the REST APIs; each `Client` is one client address.
    func testGuarded(
        anonymousRateLimit: AnonymousRateLimit? = AnonymousRateLimit(),
        _ body: @escaping @Sendable (_ client: @Sendable (String) -> Client) async throws -> Void
    ) async throws {
        let router = Router()
        let configuration = ManagementConfiguration(anonymousRateLimit: anonymousRateLimit, clock: clock)
        addManagementMiddleware(to: router, configuration: configuration)
        addKeyManagerRoutes(
            to: router, keyManager: keyManager, authenticator: services.authenticator, configuration: configuration
        )
        ManagementRoutes.addAPIManagerRoutes(to: router, services: services)
        try await Application(router: router).test(.router) { client in
            try await body { address in Client(client: client, address: address) }
        }
    }

    /// File names in the gateway folder.
    func deployedFiles() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: apiFolder.path).filter { $0.hasSuffix(".xml") })
    }

    /// The contents of a deployed artifact.
    func artifact(_ name: String) throws -> String {
        try String(contentsOf: apiFolder.appendingPathComponent(name), encoding: .utf8)
    }

    /// A bearer token for `user` with `scopes`, issued by the key manager's password grant.
    func token(for user: String, scopes: [String]) async throws -> String {
        let application = try await keyManager.createApplication(name: "token-\(UUID().uuidString)", owner: user)
        let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
        let response = try await keyManager.token(
            for: TokenRequest(grant: .password(username: user, password: Self.password(user)), scopes: scopes),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        return response.accessToken
    }
}

/// A JSON answer.
struct Answer: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let data: Data

    /// The body as a JSON object.
    var object: [String: Any] {
        get throws { try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) }
    }

    /// `list` of a list envelope.
    var list: [[String: Any]] {
        get throws { try #require(try object["list"] as? [[String: Any]]) }
    }

    /// `description` of an error.
    var errorDescription: String { (try? object["description"] as? String) ?? "" }

    var text: String { String(decoding: data, as: UTF8.self) }
}

/// Test-client calls as one of the fixture's users.
struct Client: Sendable {
    let client: any TestClientProtocol
    /// The client address the server sees; nil: none (no per-address throttling).
    var address: String? = nil

    /// Sends a request as `user` (Basic), with `token` (Bearer), or anonymously.
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as user: String? = nil,
        token: String? = nil,
        json: String? = nil
    ) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let user {
            let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
            headers[.authorization] = "Basic \(credentials)"
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await send(method, uri, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Sends a request from this client's address.
    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer? = nil) async throws
        -> Answer
    {
        let response = try await ClientAddress.$current.withValue(address) {
            try await client.execute(uri: uri, method: method, headers: headers, body: body)
        }
        return Answer(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    func get(_ uri: String, as user: String? = nil) async throws -> Answer { try await call(.get, uri, as: user) }

    func post(_ uri: String, as user: String? = nil, json: String? = nil) async throws -> Answer {
        try await call(.post, uri, as: user, json: json)
    }

    func put(_ uri: String, as user: String? = nil, json: String) async throws -> Answer {
        try await call(.put, uri, as: user, json: json)
    }

    func delete(_ uri: String, as user: String? = nil) async throws -> Answer { try await call(.delete, uri, as: user) }

    // MARK: - Shortcuts

    static let publisher = "/api/am/publisher/v4"
    static let devportal = "/api/am/devportal/v3"
    static let admin = "/api/am/admin/v4"

    /// An API definition with a production endpoint.
    static func apiJSON(
        name: String = "PizzaShack",
        context: String = "/pizzashack",
        version: String = "1.0.0",
        tags: [String] = ["pizza"],
        policies: [String] = ["Gold", "Unlimited"],
        endpoint: String = "http://localhost:9080/pizzashack",
        extra: String = ""
    ) -> String {
        """
        {"name": "\(name)", "context": "\(context)", "version": "\(version)", "description": "Order pizza",
         "tags": [\(tags.map { "\"\($0)\"" }.joined(separator: ", "))],
         "policies": [\(policies.map { "\"\($0)\"" }.joined(separator: ", "))],
         "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(endpoint)"}},
         "operations": [{"target": "/menu", "verb": "GET", "authType": "Application", "throttlingPolicy": "Unlimited"},
                        {"target": "/order", "verb": "POST", "scopes": []}],
         "businessInformation": {"businessOwner": "Jane", "businessOwnerEmail": "jane@example.com",
                                 "technicalOwner": "John", "technicalOwnerEmail": "john@example.com"}\(extra)}
        """
    }

    /// Creates an API as `chris` and returns its id.
    func createAPI(_ json: String = Client.apiJSON()) async throws -> String {
        let answer = try await post("\(Self.publisher)/apis", as: "chris", json: json)
        #expect(answer.status == .created, "\(answer.text)")
        return try #require(try answer.object["id"] as? String)
    }

    /// Applies a lifecycle action as `pat`.
    @discardableResult
    func lifecycle(_ apiID: String, _ action: String, checklist: String? = nil, as user: String = "pat") async throws
        -> Answer
    {
        var uri = "\(Self.publisher)/apis/change-lifecycle?apiId=\(apiID)&action=\(Self.encode(action))"
        if let checklist { uri += "&lifecycleChecklist=\(Self.encode(checklist))" }
        return try await post(uri, as: user)
    }

    /// A published API's id.
    func publishedAPI(_ json: String = Client.apiJSON()) async throws -> String {
        let id = try await createAPI(json)
        let answer = try await lifecycle(id, "Publish")
        #expect(answer.status == .ok, "\(answer.text)")
        return id
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
