import Foundation
import GRDB
public import SluiceModel

extension SQLiteStorage: ThrottlingPolicyRepository {
    public func createPolicy(_ policy: ThrottleTier, level: TierLevel) async throws {
        try await write("\(level.rawValue) policy \(policy.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO throttling_policies
                        (max_count, unit_time, burst_limit, burst_unit_time, billing_plan, stop_on_quota_reach,
                         description, attributes, level, name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.policyArguments(policy, level: level)
            )
        }
    }

    public func updatePolicy(_ policy: ThrottleTier, level: TierLevel) async throws {
        try await write("\(level.rawValue) policy \(policy.name)") { db in
            try db.execute(
                sql: """
                    UPDATE throttling_policies SET max_count = ?, unit_time = ?, burst_limit = ?, burst_unit_time = ?,
                        billing_plan = ?, stop_on_quota_reach = ?, description = ?, attributes = ?
                    WHERE level = ? AND name = ?
                    """,
                arguments: Self.policyArguments(policy, level: level)
            )
            if db.changesCount == 0 { throw StorageError.notFound("\(level.rawValue) policy \(policy.name)") }
        }
    }

    public func deletePolicy(named name: String, level: TierLevel) async throws -> Bool {
        try await write("\(level.rawValue) policy \(name)") { db in
            try db.execute(
                sql: "DELETE FROM throttling_policies WHERE level = ? AND name = ?",
                arguments: [level.rawValue, name]
            )
            return db.changesCount > 0
        }
    }

    public func policies(level: TierLevel) async throws -> [ThrottleTier] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM throttling_policies WHERE level = ? ORDER BY name",
                arguments: [level.rawValue]
            ).map { row in
                let attributes: String = row["attributes"]
                let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(attributes.utf8))) ?? [:]
                return ThrottleTier(
                    name: row["name"],
                    maxCount: row["max_count"],
                    unitTime: row["unit_time"],
                    burstLimit: row["burst_limit"],
                    burstUnitTime: row["burst_unit_time"],
                    billingPlan: row["billing_plan"],
                    stopOnQuotaReach: row["stop_on_quota_reach"],
                    description: row["description"],
                    attributes: decoded
                )
            }
        }
    }

    private static func policyArguments(_ policy: ThrottleTier, level: TierLevel) -> StatementArguments {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // A [String: String] always encodes.
        let attributes = (try? encoder.encode(policy.attributes)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            policy.maxCount, policy.unitTime, policy.burstLimit, policy.burstUnitTime, policy.billingPlan,
            policy.stopOnQuotaReach, policy.description, attributes, level.rawValue, policy.name,
        ]
    }
}
