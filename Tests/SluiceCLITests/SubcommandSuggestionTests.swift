import Foundation
import SluiceTesting
import Testing

/// A mistyped subcommand gets a "did you mean" (the real binary, as a user types it).
@Suite struct SubcommandSuggestionTests {
    private func run(_ arguments: [String]) async throws -> (status: Int32, error: String) {
        let binary = SluiceServerProcess.sluice
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the package first: \(binary)")
        let command = try await ChildProcess.run(binary, arguments)
        return (command.status, command.error)
    }

    @Test func closeMisspellingsAreSuggestedAtEveryLevel() async throws {
        let nested = try await run(["api", "lsit"])
        #expect(nested.status != 0)
        #expect(nested.error.contains("unknown command 'lsit' for 'sluice api'. Did you mean 'list'?"))
        let top = try await run(["sever", "--repository", "x"])
        #expect(top.status != 0)
        #expect(top.error.contains("Did you mean 'server'?"))
    }

    @Test func farOffWordsAndValidCommandsAreLeftToArgumentParser() async throws {
        let unrelated = try await run(["api", "zzzzzz"])
        #expect(unrelated.status != 0)
        #expect(!unrelated.error.contains("Did you mean"))
        // An argument of a command without subcommands is never "corrected".
        let validate = try await run(["validate", "/no/such/lsit"])
        #expect(!validate.error.contains("Did you mean"))
    }
}
