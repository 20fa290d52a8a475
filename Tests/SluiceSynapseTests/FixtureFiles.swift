/// Locates the test fixtures next to this source file.
enum FixtureFiles {
    static let directory: String = {
        let file = #filePath
        let folder = file[..<file.lastIndex(of: "/")!]
        return String(folder) + "/Fixtures"
    }()

    static func path(_ relative: String) -> String { directory + "/" + relative }
}
