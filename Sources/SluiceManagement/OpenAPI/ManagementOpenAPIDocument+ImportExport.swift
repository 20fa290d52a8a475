import SluiceControlPlane

extension ManagementOpenAPIDocument {
    /// API product export and import (publisher), application export and import (devportal) and throttling policy
    /// export and import (admin).
    static let importExportOperations: [Operation] = {
        let policyScopes = Access.anyScope(ThrottlePolicyImportExportService.scopes)
        let appScope = Access.scope(ApplicationImportExportService.scope)
        return [
            op(
                "GET", "\(devportal)/applications/export",
                "Export an application with its subscriptions as a zip archive (appName, appOwner; withKeys: consumer "
                    + "keys with their secret's SHA-256, never the secret; format YAML or JSON)",
                appScope
            ),
            op(
                "POST", "\(devportal)/applications/import",
                "Create or update an application from an exported archive: a form with file (preserveOwner, appOwner, "
                    + "skipSubscriptions, skipApplicationKeys, update, ignoreTier); 207 lists subscriptions skipped",
                appScope, body: "ArchiveImport", status: "200"
            ),
            op(
                "GET", "\(publisher)/api-products/export",
                "Export an API product with its documents, thumbnail, deployment environments and APIs (under APIs/) "
                    + "as a zip archive (name, version, providerName; revisionNumber or latestRevision; format YAML or "
                    + "JSON; preserveStatus)",
                .anyScope(APIProductImportExportService.exportScopes)
            ),
            op(
                "POST", "\(publisher)/api-products/import",
                "Create or update an API product from an exported archive: a form with file (preserveProvider, "
                    + "rotateRevision, importAPIs: also the APIs of APIs/ with apim:api_import_export, "
                    + "overwriteAPIProduct, overwriteAPIs); a revision is deployed where the export's was",
                .anyScope(APIProductImportExportService.importScopes), body: "ArchiveImport", status: "200"
            ),
            op(
                "GET", "\(admin)/throttling/policies/export",
                "Export a subscription, application or advanced policy (policyId or name; type sub|app|api; "
                    + "format=YAML for YAML)",
                policyScopes
            ),
            op(
                "POST", "\(admin)/throttling/policies/import",
                "Create a policy from an exported file, or replace one with overwrite=true: a form with file",
                policyScopes, body: "ArchiveImport", status: "200"
            ),
        ]
    }()

    /// The request bodies of ``importExportOperations``.
    static var importExportSchemas: [String: Any] {
        [
            "ArchiveImport": object(["file"], ["file": "string"]),
        ]
    }
}
