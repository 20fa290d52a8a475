/// The three portals: where they live, who may use them and what they are called.
public enum PortalArea: String, Sendable, CaseIterable {
    case store
    case publisher
    case admin

    /// The mount path: `/store`, `/publisher`, `/admin`.
    public var path: String { "/" + rawValue }

    /// The sign-in page of the area.
    public var signInPath: String { path + "/signin" }

    /// The name in the navigation and titles.
    public var title: String {
        switch self {
        case .store: "Store"
        case .publisher: "Publisher"
        case .admin: "Admin"
        }
    }

    /// The roles that open the area (`admin` opens every area).
    public var roles: [String] {
        switch self {
        case .store: ["Internal/subscriber"]
        case .publisher: ["Internal/creator", "Internal/publisher"]
        case .admin: ["admin"]
        }
    }
}
