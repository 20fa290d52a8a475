import Foundation
import SluiceModel
import SluiceStorage

/// A user as the admin API shows it (never with a password).
struct UserDTO: Encodable, Sendable {
    var username: String
    var email: String?
    var firstName: String?
    var lastName: String?
    var roles: [String]
    var createdTime: Date

    init(_ record: UserRecord) {
        username = record.username
        email = record.email
        firstName = record.firstName
        lastName = record.lastName
        roles = record.roles
        createdTime = record.createdAt
    }
}

/// `POST /users` of the admin API.
struct UserCreationDTO: Codable, Sendable {
    var username: String
    var password: String
    var email: String?
    var roles: [String]
}

/// `PUT /users/{username}/roles` of the admin API.
struct UserRolesDTO: Codable, Sendable {
    var roles: [String]
}

/// `POST /self-signup` of the devportal.
struct SelfSignupDTO: Codable, Sendable {
    var username: String
    var password: String
    var email: String
    var firstName: String
    var lastName: String
}

/// A role and its scopes.
struct RoleDTO: Encodable, Sendable {
    var name: String
    var scopes: [String]

    init(_ role: Role) {
        name = role.name
        scopes = role.scopes.sorted()
    }
}
