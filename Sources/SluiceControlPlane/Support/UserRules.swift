import Foundation

/// Checks shared by self-signup and the admin API.
enum UserRules {
    /// Letters, digits and `._@-`, 3 to 64 characters.
    static func checkUsername(_ username: String) throws(ManagementError) {
        guard username.range(of: "^[A-Za-z0-9._@-]{3,64}$", options: .regularExpression) != nil else {
            throw ManagementError.badRequest("username must be 3 to 64 letters, digits, '.', '_', '@' or '-'")
        }
    }

    /// At least 8 characters, at most 128, no whitespace only.
    static func checkPassword(_ password: String) throws(ManagementError) {
        guard password.count >= 8, password.count <= 128, !password.allSatisfy(\.isWhitespace) else {
            throw ManagementError.badRequest("password must be 8 to 128 characters")
        }
    }

    /// Something with one `@` and a dot in the domain.
    static func checkEmail(_ email: String) throws(ManagementError) {
        guard email.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) != nil else {
            throw ManagementError.badRequest("email is not a valid e-mail address")
        }
    }
}
