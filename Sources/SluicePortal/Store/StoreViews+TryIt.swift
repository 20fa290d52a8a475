import Foundation
import SluiceArtifacts
import SluiceControlPlane

extension StoreViews {
    /// The API page's definition and try-it console: the OpenAPI document, the resources to pick (each with its
    /// target, which the script copies into the path field), the caller's subscribed applications, what was sent
    /// last and the answer.
    static func tryIt(
        _ definition: APIDefinition,
        applications: [(id: String, name: String)],
        form: TryItService.Form?,
        result: [String: Any]?
    ) -> [String: Any] {
        let operations = definition.effectiveOperations
        let chosen = form?.resource ?? operations.first.map { "\($0.verb.uppercased()) \($0.target)" }
        let resources: [[String: Any]] = operations.map { operation in
            let value = "\(operation.verb.uppercased()) \(operation.target)"
            return ["value": value, "target": operation.target, "selected": value == chosen]
        }
        let document = APIOpenAPIDefinition.document(for: definition)
        var values: [String: Any] = [
            "openAPI": TryItDocument.pretty(document),
            "resources": resources,
            "applications": applications.map { application in
                ["id": application.id, "name": application.name, "selected": application.id == form?.applicationID]
            },
            "hasApplications": !applications.isEmpty,
            "path": form?.path ?? operations.first?.target ?? "/",
            "query": form?.query ?? "",
            "headers": form?.headers ?? "",
            "body": form?.body ?? "",
            "sandbox": form?.keyType == .sandbox,
        ]
        if let result { values["result"] = result }
        return values
    }
}

/// The OpenAPI document as the page shows it.
enum TryItDocument {
    static func pretty(_ json: Data) -> String { StorePortal.describe(json) }
}
