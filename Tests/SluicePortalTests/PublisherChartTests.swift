import Testing

@testable import SluicePortal

/// The server-rendered SVG charts: round axes, escaped text, nothing for the content security policy to block.
@Suite struct PublisherChartTests {
    @Test(arguments: [(0.0, 4.0), (1, 4), (4, 4), (5, 8), (9, 10), (20, 20), (21, 40), (100, 100), (1234, 2000)])
    func theAxisTopIsFourRoundSteps(value: Double, top: Double) {
        #expect(SVGChart.niceMaximum(value) == top)
    }

    @Test func labelsAndTitlesAreEscaped() {
        let hostile = #"<script>alert("x")</script>"#
        let charts = [
            SVGChart.bars(title: hostile, items: [(hostile, 3)], color: "#000000"),
            SVGChart.lines(
                title: hostile,
                labels: [hostile],
                series: [SVGChart.Series(name: hostile, color: "#000000", values: [1])]
            ),
            SVGChart.columns(title: hostile, labels: [hostile], values: [2], color: "#000000"),
        ]
        for svg in charts {
            #expect(!svg.contains("<script>"))
            #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)"))
            #expect(!svg.contains("style="))
            #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
        }
    }

    @Test func gridLabelsOfSmallCountsAreWholeNumbers() {
        let svg = SVGChart.lines(
            title: "Requests",
            labels: ["a", "b"],
            series: [SVGChart.Series(name: "Requests", color: "#000000", values: [5, 1])]
        )
        for label in ["0", "2", "4", "6", "8"] { #expect(svg.contains(">\(label)</text>")) }
        #expect(!svg.contains(">1.3</text>"))
    }
}
