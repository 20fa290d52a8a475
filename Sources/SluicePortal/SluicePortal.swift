/// The Store (developer portal) and Publisher web portals: server-rendered HTML over the management services,
/// mounted on the management server at `/store`, `/publisher` and `/admin`.
public enum SluicePortal {
    /// The paths the portals are served under.
    public static let mountPaths = ["/store", "/publisher", "/admin"]
}
