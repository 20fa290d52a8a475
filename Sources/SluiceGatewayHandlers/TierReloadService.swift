import Foundation
import Synchronization
public import Logging
public import ServiceLifecycle
import SluiceModel
import SluiceSynapse
public import SluiceThrottling

/// Keeps the throttle's tier catalog in step with `tiers.xml`, `app-tiers.xml` and `res-tiers.xml`: polls the
/// files' size and modification time and, when one changes, reads all three and swaps the catalog, so tier
/// changes apply to the next request without a restart. A file that does not parse leaves the tiers in force.
public final class TierReloadService: Service {
    private let confDirectory: String
    private let catalog: ThrottleTierCatalog
    private let interval: Duration
    private let logger: Logger
    private let lastSeen = LastSeen()

    /// Creates the service.
    /// - Parameters:
    ///   - confDirectory: `repository/conf`.
    ///   - catalog: The catalog the throttle reads.
    ///   - interval: The pause between checks.
    ///   - logger: For files that do not parse.
    public init(confDirectory: String, catalog: ThrottleTierCatalog, interval: Duration = .seconds(2), logger: Logger) {
        self.confDirectory = confDirectory
        self.catalog = catalog
        self.interval = interval
        self.logger = logger
    }

    /// Checks the files every `interval` until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            reloadIfChanged()
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Reads the tier files when any changed since the last check (always on the first call).
    /// - Returns: True when the catalog was replaced.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        let signature = TierLevel.allCases.map { level -> String in
            let path = confDirectory + "/" + level.fileName
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "-" }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size)@\(modified)"
        }
        .joined(separator: "|")
        guard lastSeen.replace(with: signature) else { return false }
        do {
            catalog.replace(with: try TierConfigReader.readAll(confDirectory: confDirectory))
            return true
        } catch {
            logger.error("Tier files not reloaded", metadata: ["sluice.error": "\(error)"])
            return false
        }
    }
}

/// The signature of the tier files at the last check.
private final class LastSeen: Sendable {
    private let value = Mutex<String?>(nil)

    /// Stores `signature`; true when it differs from the stored one.
    func replace(with signature: String) -> Bool {
        value.withLock { stored in
            defer { stored = signature }
            return stored != signature
        }
    }
}
