import Foundation
import SluiceTesting
import Testing

/// A mistyped subcommand gets a "did you mean" (the real binary, as a user types it).
@Suite struct SubcommandSuggestionTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let binary = SluiceServerProcess.sluice
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the package first: \(binary)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.runWithoutInheritedDescriptors()
        let data = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func closeMisspellingsAreSuggestedAtEveryLevel() throws {
        let nested = try run(["api", "lsit"])
        #expect(nested.status != 0)
        #expect(nested.error.contains("unknown command 'lsit' for 'sluice api'. Did you mean 'list'?"))
        let top = try run(["sever", "--repository", "x"])
        #expect(top.status != 0)
        #expect(top.error.contains("Did you mean 'server'?"))
    }

    @Test func farOffWordsAndValidCommandsAreLeftToArgumentParser() throws {
        let unrelated = try run(["api", "zzzzzz"])
        #expect(unrelated.status != 0)
        #expect(!unrelated.error.contains("Did you mean"))
        // An argument of a command without subcommands is never "corrected".
        let validate = try run(["validate", "/no/such/lsit"])
        #expect(!validate.error.contains("Did you mean"))
    }
}
