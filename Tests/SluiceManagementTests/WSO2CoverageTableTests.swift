import Foundation
import SluiceManagement
import Testing

/// `docs/wso2-rest-coverage.md` (written by `scripts/rest-conformance coverage --write` from WSO2's definitions) says
/// which of WSO2's operations Sluice serves: the page cannot claim an operation the routes do not serve, nor miss one
/// they do.
@Suite struct WSO2CoverageTableTests {
    struct Row: Hashable {
        var method: String
        var shapedPath: String
        var served: Bool
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `/apis/{apiId}/documents/{documentId}` → `/apis/{}/documents/{}`.
    static func shape(_ path: String) -> String {
        path.replacing(/\{[^}]*\}/, with: "{}")
    }

    /// The operation rows of each API section, and the list of Sluice's own operations at the end.
    static func page() throws -> (rows: [Row], extras: Set<String>) {
        let text = try String(contentsOf: packageRoot.appending(path: "docs/wso2-rest-coverage.md"), encoding: .utf8)
        var rows: [Row] = []
        var extras: Set<String> = []
        var base: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                base = line.firstMatch(of: /\(`([^`]+)`\)/).map { String($0.1) }
            } else if let base, let match = line.firstMatch(of: /^\| [^|]+ \| `([A-Z]+) ([^`]+)` \| ([^|]+) \|$/) {
                rows.append(Row(method: String(match.1), shapedPath: shape(base + match.2), served: match.3 == "served"))
            } else if base == nil, let match = line.firstMatch(of: /^- `([A-Z]+) ([^`]+)`$/) {
                extras.insert("\(match.1) \(shape(String(match.2)))")
            }
        }
        return (rows, extras)
    }

    @Test func servedColumnMatchesTheRegisteredRoutes() throws {
        let (rows, extras) = try Self.page()
        #expect(rows.count > 400, "WSO2's three APIs have 492 operations; the page lists \(rows.count)")
        let documented = Set(ManagementOpenAPIDocument.operations.map { "\($0.method) \(Self.shape($0.path))" })
        let served = Set(rows.filter(\.served).map { "\($0.method) \($0.shapedPath)" })
        let listed = Set(rows.map { "\($0.method) \($0.shapedPath)" })
        #expect(
            served.subtracting(documented).isEmpty,
            "the page says served, Sluice does not serve: \(served.subtracting(documented).sorted())"
        )
        let missing = documented.intersection(listed).subtracting(served)
        #expect(missing.isEmpty, "served but marked otherwise; rerun scripts/rest-conformance coverage --write: \(missing.sorted())")
        let own = documented.subtracting(listed)
        #expect(own == extras, "Sluice's own operations differ: \(own.symmetricDifference(extras).sorted())")
    }
}
