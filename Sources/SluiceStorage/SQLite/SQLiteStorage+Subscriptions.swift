import Foundation
import GRDB
public import SluiceModel

extension SQLiteStorage: SubscriptionRepository {
    public func createSubscription(_ subscription: SubscriptionRecord) async throws {
        try await write("subscription of \(subscription.applicationID) to \(subscription.apiContext)") { db in
            try db.execute(
                sql: """
                    INSERT INTO subscriptions
                        (id, application_id, api_id, api_context, api_version, api_name, api_provider, tier, status,
                         revision, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    subscription.id, subscription.applicationID, subscription.apiID, subscription.apiContext,
                    subscription.apiVersion, subscription.apiName, subscription.apiProvider, subscription.tier,
                    subscription.status.rawValue, subscription.revision, subscription.createdAt.storageSeconds,
                    subscription.updatedAt.storageSeconds,
                ]
            )
        }
    }

    public func updateSubscription(
        id: String,
        tier: String,
        status: SubscriptionStatus
    ) async throws -> SubscriptionRecord? {
        try await write("subscription \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE subscriptions SET tier = ?, status = ?, revision = revision + 1, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [tier, status.rawValue, Date().storageSeconds, id]
            )
            return try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE id = ?", arguments: [id])
                .map(Self.subscription)
        }
    }

    public func deleteSubscription(id: String) async throws -> Bool {
        try await write("subscription \(id)") { db in
            try db.execute(sql: "DELETE FROM subscriptions WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func subscription(id: String) async throws -> SubscriptionRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE id = ?", arguments: [id])
                .map(Self.subscription)
        }
    }

    public func subscriptions(applicationID: String) async throws -> [SubscriptionRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM subscriptions WHERE application_id = ? ORDER BY api_context, api_version",
                arguments: [applicationID]
            ).map(Self.subscription)
        }
    }

    public func subscriptions(to api: APIKey) async throws -> [SubscriptionRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM subscriptions WHERE api_context = ? AND api_version = ? ORDER BY created_at",
                arguments: [api.context, api.version]
            ).map(Self.subscription)
        }
    }

    public func allSubscriptions() async throws -> [SubscriptionRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM subscriptions").map(Self.subscription)
        }
    }

    private static func subscription(from row: Row) -> SubscriptionRecord {
        SubscriptionRecord(
            id: row["id"],
            applicationID: row["application_id"],
            apiID: row["api_id"],
            apiContext: row["api_context"],
            apiVersion: row["api_version"],
            apiName: row["api_name"],
            apiProvider: row["api_provider"],
            tier: row["tier"],
            status: SubscriptionStatus(rawValue: row["status"]) ?? .blocked,
            revision: row["revision"],
            createdAt: Date(storageSeconds: row["created_at"]),
            updatedAt: Date(storageSeconds: row["updated_at"])
        )
    }
}
