import Foundation
import PostgresNIO
public import SluiceModel
public import SluiceStorage

extension PostgresStorage: ThrottlingPolicyRepository {
    public func createPolicy(_ policy: ThrottleTier, level: TierLevel) async throws {
        try await write("\(level.rawValue) policy \(policy.name)") { connection in
            try await connection.run(
                """
                INSERT INTO throttling_policies
                    (max_count, unit_time, burst_limit, burst_unit_time, billing_plan, stop_on_quota_reach,
                     description, attributes, level, name)
                VALUES (\(policy.maxCount), \(policy.unitTime), \(policy.burstLimit), \(policy.burstUnitTime),
                        \(policy.billingPlan), \(policy.stopOnQuotaReach), \(policy.description),
                        \(Self.attributes(policy)), \(level.rawValue), \(policy.name))
                """,
                logger: logger
            )
            try await appendEvent(.policy, subject: ClusterEvent.subject(level: level, name: policy.name), on: connection)
        }
    }

    public func updatePolicy(_ policy: ThrottleTier, level: TierLevel) async throws {
        try await write("\(level.rawValue) policy \(policy.name)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE throttling_policies SET max_count = \(policy.maxCount), unit_time = \(policy.unitTime),
                    burst_limit = \(policy.burstLimit), burst_unit_time = \(policy.burstUnitTime),
                    billing_plan = \(policy.billingPlan), stop_on_quota_reach = \(policy.stopOnQuotaReach),
                    description = \(policy.description), attributes = \(Self.attributes(policy))
                WHERE level = \(level.rawValue) AND name = \(policy.name)
                RETURNING name
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("\(level.rawValue) policy \(policy.name)") }
            try await appendEvent(.policy, subject: ClusterEvent.subject(level: level, name: policy.name), on: connection)
        }
    }

    public func deletePolicy(named name: String, level: TierLevel) async throws -> Bool {
        try await write("\(level.rawValue) policy \(name)") { connection in
            let deleted = !(try await connection.rows(
                "DELETE FROM throttling_policies WHERE level = \(level.rawValue) AND name = \(name) RETURNING name",
                logger: logger
            )).isEmpty
            if deleted {
                try await appendEvent(.policy, subject: ClusterEvent.subject(level: level, name: name), on: connection)
            }
            return deleted
        }
    }

    public func policies(level: TierLevel) async throws -> [ThrottleTier] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT name, max_count, unit_time, burst_limit, burst_unit_time, billing_plan, stop_on_quota_reach,
                    description, attributes
                FROM throttling_policies WHERE level = \(level.rawValue) ORDER BY name COLLATE "C"
                """,
                logger: logger
            ).map { row in
                let (name, maxCount, unitTime, burstLimit, burstUnitTime, billingPlan, stop, description, attributes) =
                    try row.decode((String, Int64?, Int64, Int64?, Int64?, String?, Bool, String?, String).self)
                let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(attributes.utf8))) ?? [:]
                return ThrottleTier(
                    name: name,
                    maxCount: maxCount,
                    unitTime: unitTime,
                    burstLimit: burstLimit,
                    burstUnitTime: burstUnitTime,
                    billingPlan: billingPlan,
                    stopOnQuotaReach: stop,
                    description: description,
                    attributes: decoded
                )
            }
        }
    }

    private static func attributes(_ policy: ThrottleTier) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // A [String: String] always encodes.
        return (try? encoder.encode(policy.attributes)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
