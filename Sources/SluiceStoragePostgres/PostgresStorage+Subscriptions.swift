import Foundation
import PostgresNIO
public import SluiceModel
public import SluiceStorage

extension PostgresStorage: SubscriptionRepository {
    private static let subscriptionColumns = """
        id, application_id, api_id, api_context, api_version, api_name, api_provider, tier, status, revision,
        created_at, updated_at
        """

    public func createSubscription(_ subscription: SubscriptionRecord) async throws {
        try await write("subscription of \(subscription.applicationID) to \(subscription.apiContext)") { connection in
            try await connection.run(
                """
                INSERT INTO subscriptions
                    (id, application_id, api_id, api_context, api_version, api_name, api_provider, tier, status,
                     revision, created_at, updated_at)
                VALUES (\(subscription.id), \(subscription.applicationID), \(subscription.apiID),
                        \(subscription.apiContext), \(subscription.apiVersion), \(subscription.apiName),
                        \(subscription.apiProvider), \(subscription.tier), \(subscription.status.rawValue),
                        \(subscription.revision), \(subscription.createdAt.storageSeconds),
                        \(subscription.updatedAt.storageSeconds))
                """,
                logger: logger
            )
            try await appendEvent(.subscription, subject: subscription.id, on: connection)
        }
    }

    public func updateSubscription(
        id: String,
        tier: String,
        status: SubscriptionStatus
    ) async throws -> SubscriptionRecord? {
        try await write("subscription \(id)") { connection in
            let updated = try await connection.rows(
                """
                UPDATE subscriptions SET tier = \(tier), status = \(status.rawValue), revision = revision + 1,
                    updated_at = \(Date().storageSeconds)
                WHERE id = \(id)
                RETURNING \(unescaped: Self.subscriptionColumns)
                """,
                logger: logger
            ).first.map(Self.subscription)
            if updated != nil { try await appendEvent(.subscription, subject: id, on: connection) }
            return updated
        }
    }

    public func deleteSubscription(id: String) async throws -> Bool {
        try await write("subscription \(id)") { connection in
            let deleted = !(try await connection.rows(
                "DELETE FROM subscriptions WHERE id = \(id) RETURNING id",
                logger: logger
            )).isEmpty
            if deleted { try await appendEvent(.subscription, subject: id, on: connection) }
            return deleted
        }
    }

    public func subscription(id: String) async throws -> SubscriptionRecord? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id)",
                logger: logger
            ).first.map(Self.subscription)
        }
    }

    public func subscriptions(applicationID: String) async throws -> [SubscriptionRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE application_id = \(applicationID)
                ORDER BY api_context COLLATE "C", api_version COLLATE "C"
                """,
                logger: logger
            ).map(Self.subscription)
        }
    }

    public func subscriptions(to api: APIKey) async throws -> [SubscriptionRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions
                WHERE api_context = \(api.context) AND api_version = \(api.version) ORDER BY created_at
                """,
                logger: logger
            ).map(Self.subscription)
        }
    }

    public func allSubscriptions() async throws -> [SubscriptionRecord] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions", logger: logger)
                .map(Self.subscription)
        }
    }

    private static func subscription(from row: PostgresRow) throws -> SubscriptionRecord {
        let (id, applicationID, apiID, context, version, name, provider, tier, status, revision, createdAt, updatedAt) =
            try row.decode(
                (String, String, String?, String, String, String?, String?, String, String, Int64, Double, Double).self
            )
        return SubscriptionRecord(
            id: id,
            applicationID: applicationID,
            apiID: apiID,
            apiContext: context,
            apiVersion: version,
            apiName: name,
            apiProvider: provider,
            tier: tier,
            status: SubscriptionStatus(rawValue: status) ?? .blocked,
            revision: revision,
            createdAt: Date(storageSeconds: createdAt),
            updatedAt: Date(storageSeconds: updatedAt)
        )
    }
}
