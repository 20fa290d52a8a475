import Foundation
import SluiceXML

/// Charts drawn on the server as inline SVG: no script, no downloaded library, readable without JavaScript and
/// allowed by the portal's content security policy (presentation attributes only, no `style`).
///
/// Every text that reaches the markup (titles, labels, application names) goes through ``escape(_:)``: the
/// result is inserted into pages unescaped (`{{{chart}}}`).
enum SVGChart {
    /// One line of a line chart.
    struct Series {
        var name: String
        /// A colour as `#rrggbb` (fixed by the code, never from input).
        var color: String
        var values: [Double]
    }

    static let width = 640.0
    static let height = 240.0
    private static let left = 52.0
    private static let right = 16.0
    private static let top = 28.0
    private static let bottom = 34.0

    /// A line chart of several series over the same x labels.
    /// - Parameters:
    ///   - title: The accessible name (also drawn as the heading of the chart).
    ///   - labels: One label per point; about six are drawn.
    ///   - series: The lines.
    ///   - unit: Appended to the y-axis values (`ms`).
    static func lines(title: String, labels: [String], series: [Series], unit: String = "") -> String {
        let count = max(labels.count, series.map(\.values.count).max() ?? 0)
        let maximum = niceMaximum(series.flatMap(\.values).max() ?? 0)
        var svg = open(title: title)
        svg += axes(maximum: maximum, unit: unit)
        svg += xLabels(labels, count: count)
        for line in series where !line.values.isEmpty {
            let points = line.values.enumerated().map { index, value in
                "\(format(x(index, count: count))),\(format(y(value, maximum: maximum)))"
            }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\" stroke-linejoin=\"round\""
                + " points=\"\(points.joined(separator: " "))\"/>"
            if line.values.count == 1 {
                svg +=
                    "<circle cx=\"\(format(x(0, count: count)))\" cy=\"\(format(y(line.values[0], maximum: maximum)))\""
                    + " r=\"3\" fill=\"\(line.color)\"/>"
            }
        }
        svg += legend(series.map { ($0.name, $0.color) })
        return svg + "</svg>"
    }

    /// A column chart: one bar per label.
    static func columns(title: String, labels: [String], values: [Double], color: String) -> String {
        let count = max(values.count, 1)
        let maximum = niceMaximum(values.max() ?? 0)
        let plotWidth = width - left - right
        let slot = plotWidth / Double(count)
        let barWidth = max(1, slot * 0.7)
        var svg = open(title: title)
        svg += axes(maximum: maximum, unit: "")
        svg += xLabels(labels, count: count, centred: true)
        for (index, value) in values.enumerated() where value > 0 {
            let barTop = y(value, maximum: maximum)
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            svg +=
                "<rect x=\"\(format(x))\" y=\"\(format(barTop))\" width=\"\(format(barWidth))\""
                + " height=\"\(format(height - bottom - barTop))\" fill=\"\(color)\" rx=\"2\">"
                + "<title>\(escape(labels.indices.contains(index) ? labels[index] : "")): "
                + "\(format(value))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars with their labels and values (top applications).
    static func bars(title: String, items: [(label: String, value: Double)], color: String) -> String {
        let rowHeight = 30.0
        let chartHeight = top + rowHeight * Double(max(items.count, 1)) + 8
        let labelWidth = 190.0
        let maximum = max(items.map(\.value).max() ?? 0, 1)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""
            + " viewBox=\"0 0 \(format(width)) \(format(chartHeight))\""
            + " role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
            + "<text x=\"0\" y=\"16\" font-weight=\"600\">\(escape(title))</text>"
        if items.isEmpty {
            svg += "<text x=\"0\" y=\"\(format(top + 18))\">No calls in this period</text>"
        }
        for (index, item) in items.enumerated() {
            let rowTop = top + rowHeight * Double(index)
            let barWidth = (width - labelWidth - 70) * item.value / maximum
            svg += "<text x=\"0\" y=\"\(format(rowTop + 19))\">\(escape(truncate(item.label, to: 26)))</text>"
            svg +=
                "<rect x=\"\(format(labelWidth))\" y=\"\(format(rowTop + 5))\" width=\"\(format(max(barWidth, 1)))\""
                + " height=\"20\" rx=\"3\" fill=\"\(color)\"/>"
            svg +=
                "<text x=\"\(format(labelWidth + max(barWidth, 1) + 6))\" y=\"\(format(rowTop + 19))\">"
                + "\(format(item.value))</text>"
        }
        return svg + "</svg>"
    }

    /// The x labels of a timeline (UTC): times of day for ranges up to a day, dates (`MM-dd`) for longer ones.
    /// - Parameters:
    ///   - starts: The start of each interval, epoch milliseconds.
    ///   - rangeMilliseconds: The length of the whole range.
    static func timeLabels(_ starts: [Int64], rangeMilliseconds: Int64) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = rangeMilliseconds <= 86_400_000 ? "HH:mm" : "MM-dd"
        return starts.map { formatter.string(from: Date(timeIntervalSince1970: Double($0) / 1000)) }
    }

    /// `&`, `<`, `>`, `"` and `'` as entities, for text and attribute values (the one XML escaper).
    static func escape(_ text: String) -> String {
        XMLEscaping.escape(text)
    }

    // MARK: - Parts

    private static func open(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(format(width)) \(format(height))\""
            + " role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
            + "<text x=\"0\" y=\"16\" font-weight=\"600\">\(escape(title))</text>"
    }

    private static func axes(maximum: Double, unit: String) -> String {
        var svg = ""
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            let lineY = y(value, maximum: maximum)
            svg +=
                "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(lineY))\""
                + " y2=\"\(format(lineY))\" stroke=\"#dde2ec\" stroke-width=\"1\"/>"
            svg +=
                "<text x=\"\(format(left - 6))\" y=\"\(format(lineY + 4))\" text-anchor=\"end\">"
                + "\(escape(format(value) + unit))</text>"
        }
        return svg
    }

    private static func xLabels(_ labels: [String], count: Int, centred: Bool = false) -> String {
        guard !labels.isEmpty else { return "" }
        let every = max(1, Int((Double(labels.count) / 6).rounded(.up)))
        var svg = ""
        for (index, label) in labels.enumerated() where index % every == 0 {
            let position: Double
            if centred {
                let slot = (width - left - right) / Double(max(count, 1))
                position = left + slot * (Double(index) + 0.5)
            } else {
                position = x(index, count: count)
            }
            svg +=
                "<text x=\"\(format(position))\" y=\"\(format(height - 10))\" text-anchor=\"middle\">"
                + "\(escape(label))</text>"
        }
        return svg
    }

    private static func legend(_ entries: [(String, String)]) -> String {
        var svg = ""
        var offset = width - right
        for (name, color) in entries.reversed() {
            let textWidth = Double(name.count) * 7 + 26
            offset -= textWidth
            svg += "<rect x=\"\(format(offset))\" y=\"6\" width=\"12\" height=\"12\" rx=\"2\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(format(offset + 16))\" y=\"16\">\(escape(name))</text>"
        }
        return svg
    }

    private static func x(_ index: Int, count: Int) -> Double {
        let plotWidth = width - left - right
        guard count > 1 else { return left + plotWidth / 2 }
        return left + plotWidth * Double(index) / Double(count - 1)
    }

    private static func y(_ value: Double, maximum: Double) -> Double {
        let plotHeight = height - top - bottom
        return height - bottom - plotHeight * (maximum > 0 ? value / maximum : 0)
    }

    /// The top of the y axis: four times a round step (1, 2, 2.5 or 5 times a power of ten, at least 1), so the
    /// four grid lines of small counts fall on whole numbers.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 4 }
        let rough = value / 4
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= rough {
            return 4 * max(factor * magnitude, 1)
        }
        return 40 * magnitude
    }

    /// Whole numbers without a fraction, others with one decimal.
    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
        return String((value * 10).rounded() / 10)
    }

    private static func truncate(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
