import Foundation

/// A horizontal bar chart as inline SVG, built on the server: no script, allowed by the content security
/// policy (presentation attributes only). Labels come from data (API names), so every text is escaped here:
/// the markup is inserted into the page unescaped.
enum UsageBarChart {
    struct Bar {
        var label: String
        var value: Int
    }

    static let width = 640
    static let rowHeight = 34
    static let labelWidth = 200

    /// The chart, or an empty string when there is nothing to draw.
    static func svg(title: String, bars: [Bar]) -> String {
        guard !bars.isEmpty else { return "" }
        let height = bars.count * rowHeight + 16
        let most = max(1, bars.map(\.value).max() ?? 1)
        let plot = width - labelWidth - 70
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(width) \(height)\""
            + " xmlns=\"http://www.w3.org/2000/svg\"><title>\(escape(title))</title>"
        for (index, bar) in bars.enumerated() {
            let y = 8 + index * rowHeight
            let length = max(2, Int((Double(bar.value) / Double(most) * Double(plot)).rounded()))
            let label = bar.label.count > 28 ? String(bar.label.prefix(27)) + "…" : bar.label
            svg += "<text x=\"\(labelWidth - 10)\" y=\"\(y + 21)\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 6)\" width=\"\(length)\" height=\"22\" rx=\"4\" fill=\"#2451c7\"/>"
            svg += "<text x=\"\(labelWidth + length + 8)\" y=\"\(y + 21)\">\(bar.value)</text>"
        }
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
