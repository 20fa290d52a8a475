import Foundation

/// The fields of the management API's answers the remote commands print or follow; `--output json` prints the
/// answers whole instead.
enum RemoteDTOs {
    /// WSO2's list envelope.
    struct List<Item: Decodable>: Decodable {
        var count: Int
        var list: [Item]
    }

    /// `APIInfoDTO` (publisher and devportal).
    struct APIInfo: Decodable {
        var id: String
        var name: String
        var version: String
        var context: String
        var provider: String?
        var lifeCycleStatus: String?
    }

    /// The parts of the publisher's `APIDTO` `api show` prints.
    struct APIDetail: Decodable {
        struct Operation: Decodable {
            var verb: String
            var target: String
            var authType: String?
            var throttlingPolicy: String?
        }

        var id: String
        var name: String
        var version: String
        var context: String
        var provider: String?
        var lifeCycleStatus: String?
        var description: String?
        var visibility: String?
        var policies: [String]?
        var isDefaultVersion: Bool?
        var gatewayDeployed: Bool?
        var operations: [Operation]?
    }

    /// `ApplicationDTO`.
    struct Application: Decodable {
        var applicationId: String
        var name: String
        var throttlingPolicy: String
        var owner: String?
        var subscriptionCount: Int?
    }

    /// `SubscriptionDTO`.
    struct Subscription: Decodable {
        var subscriptionId: String
        var applicationId: String
        var apiId: String?
        var throttlingPolicy: String
        var status: String?
    }

    /// `ApplicationKeyDTO`.
    struct Keys: Decodable {
        var keyType: String
        var consumerKey: String
        var consumerSecret: String?
        var supportedGrantTypes: [String]?
        var token: Token?
    }

    /// `ApplicationTokenDTO`.
    struct Token: Codable {
        var accessToken: String
        var tokenScopes: [String]?
        var validityTime: Int64?
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw CLIError("the server's answer for \(what) is not what this sluice expects: \(error)")
        }
    }
}
