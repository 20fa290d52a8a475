import Foundation

/// Files of the Sluice repository the benchmarks read, found from this source file's location so the benchmarks
/// run the same from any working directory.
enum RepositoryFiles {
    /// The repository root (the folder holding the root Package.swift).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SluiceBenchmarks
        .deletingLastPathComponent()  // Benchmarks (sources)
        .deletingLastPathComponent()  // Benchmarks (package)
        .deletingLastPathComponent()

    /// The sample PizzaShack API artifact, a typical publisher-generated API with WSO2's handler chain.
    static var pizzaShackAPI: URL {
        root.appendingPathComponent("repository/deployment/server/synapse-configs/default/api")
            .appendingPathComponent("admin--PizzaShackAPI_v1.0.0.xml")
    }

    /// `repository/conf`, for the tier files.
    static var conf: URL { root.appendingPathComponent("repository/conf") }

    static func text(of url: URL) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }
}
