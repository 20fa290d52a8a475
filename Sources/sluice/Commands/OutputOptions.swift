import ArgumentParser
import Foundation

/// `--output json|table` of the remote commands: the server's JSON as is (pretty printed), or a table for people.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @Option(name: [.customShort("o"), .long], help: "Output format: table or json.")
    var output: Format = .table

    var isJSON: Bool { output == .json }

    /// Prints a JSON body pretty printed with sorted keys.
    func printJSON(_ body: [UInt8]) {
        let data = Data(body)
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]
            )
        {
            print(String(decoding: pretty, as: UTF8.self))
        } else {
            print(String(decoding: body, as: UTF8.self))
        }
    }

    /// Prints an encodable value as pretty JSON.
    func printJSON(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints rows under headers, columns padded to their widest cell.
    func printTable(_ headers: [String], _ rows: [[String]]) {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(headers))
        for row in rows { print(line(row)) }
    }
}
