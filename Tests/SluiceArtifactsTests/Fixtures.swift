import Foundation
import SluiceArtifacts
import SluiceModel

/// Definitions shared by the publisher tests.
enum Fixtures {
    /// `samples/pizzashack-api.json` in the repository.
    static let sampleDefinitionURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("samples/pizzashack-api.json")

    /// A PizzaShack-like API: url-mapping and uri-template operations, production and sandbox endpoints.
    static func pizzaShack(status: String = "PUBLISHED") -> APIDefinition {
        APIDefinition(
            name: "PizzaShackAPI",
            context: "/pizzashack",
            version: "1.0.0",
            provider: "admin",
            lifeCycleStatus: .init(rawValue: status),
            policies: ["Gold", "Unlimited"],
            endpointConfig: APIEndpointConfig(
                endpointType: .http,
                productionEndpoints: [APIEndpoint(url: "https://backend.example.com/pizzashack/api/")],
                sandboxEndpoints: [APIEndpoint(url: "https://sandbox.example.com/pizzashack/api/")]
            ),
            operations: [
                APIOperation(target: "/menu", verb: "GET", authType: "None"),
                APIOperation(target: "/order", verb: "POST", authType: "Application User", throttlingPolicy: "Gold"),
                APIOperation(target: "/order/{orderId}", verb: "GET", scopes: ["order_read", "order_admin"]),
                APIOperation(target: "/images/*", verb: "GET"),
            ],
            scopes: [
                APIScope(name: "order_read", bindings: ["Internal/subscriber"]),
                APIScope(name: "order_admin", bindings: ["admin"]),
            ]
        )
    }

    /// A fresh, empty folder under the system temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-publisher-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
