import Foundation
import SluiceModel
import SluiceStorage

/// Records the storage tests store.
enum StorageFixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func application(_ id: String = "app-1", owner: String = "alice") -> ApplicationRecord {
        ApplicationRecord(id: id, name: "Shop \(id)", owner: owner, throttlingTier: "Unlimited", createdAt: now, updatedAt: now)
    }

    static func key(_ key: String, app: String = "app-1", type: KeyType = .production) -> ConsumerKeyRecord {
        ConsumerKeyRecord(
            consumerKey: key,
            secretHash: Data(repeating: 7, count: 32),
            applicationID: app,
            keyType: type,
            grantTypes: ["password", "client_credentials", "refresh_token"],
            createdAt: now
        )
    }

    static func token(
        _ byte: UInt8,
        kind: TokenRecord.Kind = .access,
        family: String = "f1",
        expiresIn: TimeInterval = 3600,
        state: TokenRecord.State = .active
    ) -> TokenRecord {
        TokenRecord(
            tokenHash: Data(repeating: byte, count: 32),
            kind: kind,
            familyID: family,
            consumerKey: "ck-1",
            username: "alice",
            scopes: ["default"],
            grantType: "password",
            issuedAt: now,
            expiresAt: now.addingTimeInterval(expiresIn),
            state: state
        )
    }
}
