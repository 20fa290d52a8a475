import Foundation

/// Words an HTTP error answer: the management API's `{code, message, description}`, an OAuth2
/// `{error, error_description}`, or the status and the start of the body.
enum ServerFailure {
    private struct ErrorDTO: Decodable {
        var code: Int?
        var message: String?
        var description: String?
    }

    private struct OAuth2ErrorDTO: Decodable {
        var error: String
        var error_description: String?
    }

    /// A ``CLIError`` saying what failed and what the server said.
    static func error(_ reply: ManagementClient.Reply, doing action: String) -> CLIError {
        CLIError("\(action) failed: \(explanation(reply))")
    }

    /// What the server said.
    static func explanation(_ reply: ManagementClient.Reply) -> String {
        let data = Data(reply.body)
        if let dto = try? JSONDecoder().decode(ErrorDTO.self, from: data),
            dto.message != nil || dto.description != nil
        {
            let title = dto.message.map { " \($0)" } ?? ""
            let detail = dto.description.map { ": \($0)" } ?? ""
            return "HTTP \(dto.code ?? reply.status)\(title)\(detail)"
        }
        if let dto = try? JSONDecoder().decode(OAuth2ErrorDTO.self, from: data) {
            return "HTTP \(reply.status) \(dto.error)" + (dto.error_description.map { ": \($0)" } ?? "")
        }
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return "HTTP \(reply.status)" + (text.isEmpty ? "" : ": " + String(text.prefix(300)))
    }
}
