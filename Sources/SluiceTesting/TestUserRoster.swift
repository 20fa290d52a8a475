import SluiceKeyManager
import SluiceModel

/// The users the control-plane fixtures (management API, portals) create, one of each role: the creator `chris`,
/// the publisher `pat` and the subscribers `alice` and `bob`; `admin` comes from the key manager's bootstrap.
public enum TestUserRoster {
    /// Each user's name and roles.
    public static let users: [(name: String, roles: [String])] = [
        ("chris", [Role.creator.name]), ("pat", [Role.publisher.name]), ("alice", [Role.subscriber.name]),
        ("bob", [Role.subscriber.name]),
    ]

    /// Every roster user's password (and the admin's).
    public static func password(_ user: String) -> String { "\(user)-password-1" }

    /// Bootstraps `admin` and creates the roster's users, plus `extraUsers`, all with `password(_:)`.
    public static func create(in keyManager: KeyManager, extraUsers: [(name: String, roles: [String])] = []) async throws {
        _ = try await keyManager.bootstrap(adminPassword: password("admin"))
        for (name, roles) in users + extraUsers {
            try await keyManager.createUser(username: name, password: password(name), roles: roles)
        }
    }
}
