import ArgumentParser

/// "Did you mean" for a mistyped subcommand (`sluice api lsit` → `list`): ArgumentParser itself only reports the
/// unexpected argument.
enum SubcommandSuggestion {
    /// The error message for the first argument that names no subcommand where one is expected, when a
    /// subcommand's name is within two edits of it; nil otherwise (ArgumentParser's own message then applies).
    static func message(for arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for argument in arguments {
            if argument.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { $0._commandName == argument }) {
                command = next
                path.append(argument)
                continue
            }
            let names = subcommands.map { $0._commandName }
            let close = names.map { (name: $0, distance: editDistance($0, argument)) }
                .filter { $0.distance <= 2 }
                .min { $0.distance < $1.distance }
            guard let close else { return nil }
            return "unknown command '\(argument)' for '\(path.joined(separator: " "))'. Did you mean '\(close.name)'?"
        }
        return nil
    }

    /// Edits (insertions, deletions, substitutions and swaps of neighbours) from one word to the other: the
    /// optimal string alignment distance, so `lsit` is one edit from `list`.
    static func editDistance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
