import Foundation
import Testing

@testable import SluiceAnalytics

/// docs/observability.md's metric reference lists exactly the families of ``MetricFamilies`` (the list `/metrics`
/// takes its HELP texts from), in the same order and with the same types.
@Suite struct MetricReferenceTableTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "docs/observability.md")

    @Test func tableRowsAreTheFamiliesWithTheirTypes() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `sluice_") }.map { row in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return "\(cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))) \(cells[1])"
        }
        #expect(rows == MetricFamilies.all.map { "\($0.name) \($0.kind.rawValue)" })
    }

    @Test func everyFamilyHasHelpAndIsListedOnce() {
        #expect(Set(MetricFamilies.all.map(\.name)).count == MetricFamilies.all.count)
        #expect(MetricFamilies.all.allSatisfy { !$0.help.isEmpty && $0.name.hasPrefix("sluice_") })
    }

    @Test func backendRendersHelpAndTypeOfEachFamilyItMade() {
        let backend = PrometheusMetricsBackend()
        let metrics = UsageMetrics(backend: backend)
        metrics.recordDropped()
        let text = metrics.render()
        #expect(text.contains("# HELP sluice_usage_events_dropped_total Usage events the rollups or the raw-event queue could not take.\n"))
        #expect(text.contains("# TYPE sluice_usage_events_dropped_total counter\n"))
        #expect(text.contains("sluice_usage_events_dropped_total 1\n"))
    }
}
