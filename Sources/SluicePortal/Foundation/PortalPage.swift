/// What the shared layout (`shared/layout`) shows around every page.
struct PortalLayout {
    struct Link {
        var label: String
        var href: String
        var current: Bool
    }

    struct Flash {
        var message: String
        var isError: Bool
        var details: [String] = []
        // Stored, not computed: the template renderer reads stored properties.
        var hasDetails = false
    }

    var pageTitle: String
    var areaTitle: String
    var areaPath: String
    var signedIn: Bool
    var username: String
    var csrf: String
    var navigation: [Link]
    var flash: Flash?
    var signInHref: String
}
