import Foundation
import SluiceControlPlane
import SluiceModel

/// The usage page's figures and charts, built from ``PublisherSubscriptionService/UsageReport``: requests over
/// time, average and 95th percentile latency, the top applications and throttled calls, as inline SVG.
struct UsageCharts {
    var requests: String
    var errors: String
    var throttled: String
    var averageLatency: String
    var p95Latency: String
    var hasCalls: Bool
    var requestsChart: String
    var latencyChart: String
    var applicationsChart: String
    var throttledChart: String

    /// How many applications the top-applications chart shows.
    static let topApplications = 8

    /// Builds the charts.
    /// - Parameters:
    ///   - report: The usage report.
    ///   - rangeMilliseconds: The length of the range (short ranges label times, long ones dates).
    ///   - applicationName: The name of an application id, nil when it is gone.
    init(
        report: PublisherSubscriptionService.UsageReport,
        rangeMilliseconds: Int64,
        applicationName: (String) async throws -> String?
    ) async throws {
        let total = report.total
        requests = String(total?.requestCount ?? 0)
        errors = String(total?.errorCount ?? 0)
        throttled = String(total?.throttledCount ?? 0)
        averageLatency = SVGChart.format(total?.averageLatencyMillis ?? 0) + " ms"
        p95Latency = SVGChart.format(total?.p95LatencyMillis ?? 0) + " ms"
        hasCalls = (total?.requestCount ?? 0) > 0
        let labels = SVGChart.timeLabels(report.timeline.map(\.start), rangeMilliseconds: rangeMilliseconds)
        let timeline = report.timeline.map(\.statistics)
        requestsChart = SVGChart.lines(
            title: "Requests over time (UTC)",
            labels: labels,
            series: [
                SVGChart.Series(name: "Requests", color: "#2451c7", values: timeline.map { Double($0.requestCount) }),
                SVGChart.Series(name: "Errors", color: "#b42318", values: timeline.map { Double($0.errorCount) }),
            ]
        )
        latencyChart = SVGChart.lines(
            title: "Latency (ms)",
            labels: labels,
            series: [
                SVGChart.Series(name: "Average", color: "#1f7a4d", values: timeline.map(\.averageLatencyMillis)),
                SVGChart.Series(name: "p95", color: "#9a6700", values: timeline.map(\.p95LatencyMillis)),
            ],
            unit: ""
        )
        var items: [(label: String, value: Double)] = []
        for row in report.applications.prefix(Self.topApplications) {
            // Calls to resources without authentication carry no application.
            let label = row.key.isEmpty ? "(no application)" : try await applicationName(row.key) ?? row.key
            items.append((label, Double(row.requestCount)))
        }
        applicationsChart = SVGChart.bars(title: "Top applications (requests)", items: items, color: "#7a5af8")
        throttledChart = SVGChart.columns(
            title: "Throttled calls",
            labels: labels,
            values: timeline.map { Double($0.throttledCount) },
            color: "#b42318"
        )
    }
}
