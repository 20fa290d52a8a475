import Foundation
import Logging
import SluiceModel
import SluiceStorage
import SluiceStoragePostgres
import SluiceTesting
import Testing

/// Every repository protocol together: what both storage implementations provide.
typealias ContractStorage = UserRepository & APIRepository & ApplicationRepository & TokenRepository
    & SubscriptionRepository & APIDocumentRepository & APIFeedbackRepository & ThrottlingPolicyRepository
    & UsageRepository & APIRevisionRepository & APICatalogRepository & ConsumerSecretRepository & PublisherObjectRepository
    & BlockingConditionRepository & BotAccessRepository

/// The storage implementations the contract tests run against. PostgreSQL runs on the test server
/// (``ThrowawayPostgres/shared()``: `SLUICE_TEST_POSTGRES_URL`, else one the tests start); each test case gets a
/// database of its own, dropped afterwards. Without PostgreSQL installed its cases fail, they are not skipped.
enum StorageBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// Every backend: a red PostgreSQL backend must show, never hide behind a skip.
    static var available: [StorageBackend] { allCases }

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty, migrated storage of this kind.
    func withStorage(_ body: (any ContractStorage) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(try SQLiteStorage.inMemory())
        case .postgres:
            try await PostgresTestDatabase.with { storage in try await body(storage) }
        }
    }
}

/// A database of its own on the test server, for one test.
enum PostgresTestDatabase {
    static let logger: Logger = {
        var logger = Logger(label: "sluice-storage-test")
        logger.logLevel = .warning
        return logger
    }()

    /// Creates a database, opens the storage on it, runs `body`, then closes and drops it.
    static func with(_ body: (PostgresStorage) async throws -> Void) async throws {
        let server = try PostgresConnectionSettings(url: try ThrowawayPostgres.shared().url)
        let name = "sluice_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server, logger: logger)
        do {
            let storage = try await PostgresStorage.open(settings: server.with(database: name), logger: logger)
            do {
                try await body(storage)
            } catch {
                await storage.close()
                throw error
            }
            await storage.close()
        } catch {
            try? await PostgresDatabases.drop(name, on: server, logger: logger)
            throw error
        }
        try await PostgresDatabases.drop(name, on: server, logger: logger)
    }
}
