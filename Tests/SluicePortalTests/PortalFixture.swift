import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceArtifacts
import SluiceControlPlane
import SluiceJWT
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceStorage
import SluiceTesting
import Synchronization
import Testing

/// The management services over an in-memory database with the portals mounted, and the users of
/// `TestUserRoster`: `admin`, the creator `chris`, the publisher `pat`, the subscribers `alice` and `bob`.
struct PortalFixture {

    let storage: SQLiteStorage
    let keyManager: KeyManager
    let services: APIManagerServices
    let clock = ManualWallClock()
    let configuration: PortalConfiguration

    init(secureCookies: Bool = true, signer: TokenSigner? = nil) async throws {
        storage = try SQLiteStorage.inMemory()
        keyManager = try await KeyManager(
            storage: storage,
            configuration: KeyManagerConfiguration(
                passwordHasher: .insecureForTesting(iterations: 10), clock: clock, tokenSigner: signer
            )
        )
        try await TestUserRoster.create(in: keyManager)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-portal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        services = APIManagerServices(
            keyManager: keyManager,
            storage: storage,
            lifecycleExecutor: LifecycleExecutor(deployer: DeploymentFolderWriter(apiFolder: folder.path))
        )
        let clock = clock
        configuration = PortalConfiguration(
            secureCookies: secureCookies,
            gatewayBaseURL: "http://127.0.0.1:8280",
            now: { clock.now }
        )
    }

    static func password(_ user: String) -> String { TestUserRoster.password(user) }

    /// Runs `body` with a browser against the management routes plus the portals.
    func test(_ body: @escaping @Sendable (Browser, Portal) async throws -> Void) async throws {
        let router = Router()
        ManagementRoutes.addAPIManagerRoutes(to: router, services: services)
        let portal = PortalRoutes.add(to: router, services: services, configuration: configuration)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(Browser(client: client), portal) }
    }

    /// Stores an API record directly (name, provider, state and tags as given).
    @discardableResult
    func addAPI(
        name: String,
        version: String = "1.0.0",
        provider: String = "chris",
        state: APILifecycleState = .published,
        tags: [String] = [],
        description: String? = nil
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await storage.createAPI(
            APIRecord(
                id: id,
                provider: provider,
                name: name,
                version: version,
                context: "/" + name.lowercased().filter { $0.isLetter || $0.isNumber },
                description: description,
                lifecycleState: state,
                tags: tags,
                createdAt: Date(),
                updatedAt: Date()
            ),
            actor: provider
        )
        return id
    }
}

/// A page as the test client saw it.
struct Page: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let html: String

    /// The CSRF token of the page's first form.
    var csrf: String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    var location: String? { headers[.location] }
    var setCookie: String? { headers[.setCookie] }
}

/// A browser in the tests: keeps the session cookie, sends forms, from one client address.
final class Browser: Sendable {
    let client: any TestClientProtocol
    /// The address the server sees (as the management app's middleware would set it from the TCP peer).
    let address: String
    private let cookie = Mutex<String?>(nil)

    init(client: any TestClientProtocol, address: String = "192.0.2.10") {
        self.client = client
        self.address = address
    }

    var sessionID: String? { cookie.withLock { $0 } }

    func forget() { cookie.withLock { $0 = nil } }

    func use(sessionID: String?) { cookie.withLock { $0 = sessionID } }

    func get(_ uri: String) async throws -> Page {
        try await send(.get, uri, headers: [:], body: nil)
    }

    /// Posts a form; `_csrf` is added from `csrf` unless nil.
    func post(_ uri: String, _ fields: [(String, String)], csrf: String?, headers: HTTPFields = [:]) async throws
        -> Page
    {
        var all = fields
        if let csrf { all.append(("_csrf", csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, headers: fields, body: ByteBuffer(string: body))
    }

    /// Signs in through the form of `area` (default: the Store).
    @discardableResult
    func signIn(_ user: String, password: String? = nil, area: String = "store", next: String? = nil) async throws
        -> Page
    {
        forget()
        let form = try await get("/\(area)/signin")
        var fields = [("username", user), ("password", password ?? PortalFixture.password(user))]
        if let next { fields.append(("next", next)) }
        return try await post("/\(area)/signin", fields, csrf: form.csrf)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws
        -> Page
    {
        var fields = headers
        if let id = sessionID { fields[.cookie] = "\(Portal.cookieName)=\(id)" }
        let response = try await ClientAddress.$current.withValue(address) {
            try await client.execute(uri: uri, method: method, headers: fields, body: body)
        }
        if let setCookie = response.headers[.setCookie], setCookie.hasPrefix(Portal.cookieName + "=") {
            let value = setCookie.dropFirst(Portal.cookieName.count + 1).prefix { $0 != ";" }
            cookie.withLock { $0 = value.isEmpty ? nil : String(value) }
        }
        return Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Browser {
    /// Calls the management REST API with HTTP Basic as a fixture user.
    func rest(_ method: HTTPRequest.Method, _ uri: String, as user: String, json: String? = nil) async throws
        -> (status: HTTPResponse.Status, body: [String: Any])
    {
        let credentials = Data("\(user):\(PortalFixture.password(user))".utf8).base64EncodedString()
        var headers: HTTPFields = [.authorization: "Basic \(credentials)"]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        )
        let body = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, body)
    }

    /// Creates an API as `chris` through the publisher REST API and applies lifecycle `actions` as `pat`.
    @discardableResult
    func publishAPI(
        name: String,
        tags: [String] = [],
        policies: [String] = ["Gold", "Unlimited"],
        description: String = "Order pizza",
        actions: [String] = ["Publish"]
    ) async throws -> String {
        let definition = """
            {"name": "\(name)", "context": "/\(name.lowercased())", "version": "1.0.0", "description": "\(description)",
             "tags": [\(tags.map { "\"\($0)\"" }.joined(separator: ", "))],
             "policies": [\(policies.map { "\"\($0)\"" }.joined(separator: ", "))],
             "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "http://127.0.0.1:9/\(name)"}},
             "operations": [{"target": "/menu", "verb": "GET", "authType": "Application", "throttlingPolicy": "Unlimited"},
                            {"target": "/order", "verb": "POST", "authType": "Application User", "throttlingPolicy": "Plus"}]}
            """
        let created = try await rest(.post, "/api/am/publisher/v4/apis", as: "chris", json: definition)
        #expect(created.status == .created, "\(created.body)")
        let id = try #require(created.body["id"] as? String)
        for action in actions {
            let changed = try await rest(
                .post,
                "/api/am/publisher/v4/apis/change-lifecycle?apiId=\(id)&action=\(action.replacingOccurrences(of: " ", with: "%20"))",
                as: "pat"
            )
            #expect(changed.status == .ok, "\(action): \(changed.body)")
        }
        return id
    }

    /// The CSRF token of the browser's session, as its pages carry it.
    func csrf(_ portal: Portal) throws -> String {
        let id = try #require(sessionID)
        return try #require(portal.sessions.session(id: id)?.csrfToken)
    }
}
