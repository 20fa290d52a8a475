public import Hummingbird
public import Logging
public import SluiceControlPlane

/// Mounts the portals on the management server's router: shared assets, sign-in and sign-out, then the Store,
/// Publisher and Admin areas; `/` redirects to the Store.
public enum PortalRoutes {
    /// Every template of every area.
    public static var templates: [String: String] {
        SharedTemplates.all.merging(StoreTemplates.all) { first, _ in first }
            .merging(PublisherTemplates.all) { first, _ in first }.merging(AdminTemplates.all) { first, _ in first }
            .merging(AnalyticsTemplates.all) { first, _ in first }
    }

    /// Adds the portal routes.
    /// - Parameters:
    ///   - router: The management app's router.
    ///   - services: The management services the pages call.
    ///   - configuration: Cookies, sessions, the gateway URL.
    ///   - logger: Where failures are logged (never secrets).
    /// - Returns: The portal environment (tests inspect its sessions).
    @discardableResult
    public static func add<Context: RequestContext>(
        to router: Router<Context>,
        services: APIManagerServices,
        configuration: PortalConfiguration,
        logger: Logger = Logger(label: "sluice.portal")
    ) -> Portal {
        let portal: Portal
        do {
            portal = try Portal(services: services, configuration: configuration, templates: templates, logger: logger)
        } catch {
            // The templates are compiled into the binary and parsed by the unit tests: this is a build defect.
            preconditionFailure("\(error)")
        }
        router.add(middleware: PortalErrorMiddleware(portal: portal))
        router.get("/") { _, _ in Portal.redirect(to: PortalArea.store.path) }
        PortalAssets.addRoutes(to: router)
        SignInPages(portal: portal).addRoutes(to: router)
        StorePortal(portal: portal).addRoutes(to: router)
        PublisherPortal(portal: portal).addRoutes(to: router)
        AdminPortal(portal: portal).addRoutes(to: router)
        return portal
    }
}
