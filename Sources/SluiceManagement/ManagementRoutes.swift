public import Hummingbird
public import Logging
import SluiceControlPlane

/// The publisher (`/api/am/publisher/v4`), devportal (`/api/am/devportal/v3`) and admin (`/api/am/admin/v4`)
/// REST APIs, and their OpenAPI document at `/api/am/openapi.json`.
///
/// ```swift
/// let deployer = DeploymentFolderWriter(repository: "repository")
/// let services = APIManagerServices(keyManager: keyManager, storage: storage,
///                                   lifecycleExecutor: LifecycleExecutor(deployer: deployer))
/// ManagementRoutes.addAPIManagerRoutes(to: router, services: services)
/// ```
public enum ManagementRoutes {
    /// Registers every publisher, devportal and admin route on `router`.
    /// - Parameters:
    ///   - router: The management app's router (the one holding `/oauth2/*`).
    ///   - services: Key manager, storage, lifecycle executor and settings.
    ///   - logger: Where failures are logged (without secrets).
    /// - Returns: The registered routes.
    @discardableResult
    public static func addAPIManagerRoutes<Context: RequestContext>(
        to router: Router<Context>,
        services: APIManagerServices,
        logger: Logger = Logger(label: "sluice.management")
    ) -> ManagementRouteTable {
        // Router middleware applies to the routes added after it, and to requests that match no route.
        let table = ManagementRouteTable()
        router.add(middleware: ManagementNotFoundMiddleware<Context>(routes: table))
        let routes = RouteRegistrar(router: router, table: table, logger: logger)
        PublisherAPIsController(services: services, logger: logger).addRoutes(to: routes)
        PublisherLifecycleController(services: services, logger: logger).addRoutes(to: routes)
        PublisherSubscriptionsController(services: services, logger: logger).addRoutes(to: routes)
        DocumentsController(services: services, logger: logger).addRoutes(to: routes)
        PublisherClientCertificatesController(services: services, logger: logger).addRoutes(to: routes)
        SwaggerController(services: services, logger: logger).addRoutes(to: routes)
        OpenAPIImportController(services: services, logger: logger).addRoutes(to: routes)
        APIImportExportController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalAPIsController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalApplicationsController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalSubscriptionsController(services: services, logger: logger).addRoutes(to: routes)
        SelfSignupController(services: services, logger: logger).addRoutes(to: routes)
        AdminController(services: services, logger: logger).addRoutes(to: routes)
        TierListingController(services: services, logger: logger).addRoutes(to: routes)
        AnalyticsController(services: services, logger: logger).addRoutes(to: routes)
        PlatformController(services: services, logger: logger).addRoutes(to: routes)
        APIRevisionsController(services: services, logger: logger).addRoutes(to: routes)
        APIProductsController(services: services, logger: logger).addRoutes(to: routes)
        APIProductImportExportController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalKeyMappingsController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalAccountController(services: services, logger: logger).addRoutes(to: routes)
        APICommentsController(services: services, logger: logger).addRoutes(to: routes)
        AdminApplicationsController(services: services, logger: logger).addRoutes(to: routes)
        APICatalogController(services: services, logger: logger).addRoutes(to: routes)
        PublisherValidationController(services: services, logger: logger).addRoutes(to: routes)
        AdminPolicySearchController(services: services, logger: logger).addRoutes(to: routes)
        ApplicationImportExportController(services: services, logger: logger).addRoutes(to: routes)
        AdminPolicyImportExportController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalSecretsController(services: services, logger: logger).addRoutes(to: routes)
        DevPortalThrottleResetController(services: services).addRoutes(to: routes)
        AdminProviderChangeController(services: services, logger: logger).addRoutes(to: routes)
        PublisherEndpointValidationController(services: services).addRoutes(to: routes)
        SharedScopesController(services: services, logger: logger).addRoutes(to: routes)
        AdminDenyPoliciesController(services: services, logger: logger).addRoutes(to: routes)
        AdminTransactionCountController(services: services, logger: logger).addRoutes(to: routes)
        AdminBotDetectionController(services: services, logger: logger).addRoutes(to: routes)
        OperationPoliciesController(services: services, logger: logger).addRoutes(to: routes)
        return table
    }
}
