import ArgumentParser
import Foundation
import SluiceArtifacts
import SluiceModel

/// `sluice api emit DEFINITION [--output DIR|-]` turns a publisher API definition into gateway artifact XML
/// offline; `list`, `create`, `show`, `publish`, `lifecycle`, `delete`, `export` and `import` work on the server
/// `sluice login` chose (or `--environment`'s).
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Work with API definitions (emit, offline) and a server's APIs (after `sluice login`).",
        subcommands: [
            Emit.self, APIListCommand.self, APICreateCommand.self, APIShowCommand.self, APIPublishCommand.self,
            APILifecycleCommand.self, APIDeleteCommand.self, APIExportCommand.self, APIImportCommand.self,
        ]
    )

    /// Reads a definition (JSON, WSO2 publisher v4 field names) and writes the Synapse XML WSO2's publisher
    /// would deploy for it.
    struct Emit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the Synapse artifact XML for an API definition.",
            discussion: """
                DEFINITION is a JSON or YAML file with the fields of WSO2's publisher API (name, context, version, \
                provider, endpointConfig, operations, ...), or '-' for standard input. With --output DIR the \
                artifacts are written atomically into DIR as <provider>--<name>_v<version>.xml (plus \
                <provider>--<name>.xml for the default version); with '-' the versioned artifact goes to \
                standard output.
                """
        )

        @Argument(help: "The API definition file (JSON or YAML), or '-' for standard input.")
        var definition: String

        @Option(name: .shortAndLong, help: "A folder to write the artifact files into, or '-' for standard output.")
        var output: String = "-"

        @Option(
            name: .long,
            help: "The lifecycle state to render (PUBLISHED, PROTOTYPED, BLOCKED...); default: the definition's."
        )
        var status: String?

        @Flag(name: .long, help: "Do not add the gateway-wide CORS handler to APIs without their own CORS settings.")
        var noGlobalCors = false

        @Option(name: .long, help: "The provider to use when the definition names none (WSO2's default user).")
        var provider: String = "admin"

        @Option(name: .long, help: "The gateway address default-version artifacts forward to.")
        var gatewayURL: String = "http://localhost:8280"

        func run() async throws {
            let settings = ArtifactSettings(
                globalCORS: noGlobalCors ? .disabled : .wso2Default,
                gatewayURL: gatewayURL
            )
            let emitter = APIArtifactEmitter(builder: APITemplateBuilder(settings: settings))
            let renderedStatus = try parsedStatus()
            let bytes: [UInt8]
            do {
                bytes = try DefinitionFile.json(try readDefinition(), path: definition)
            } catch let error as CLIError {
                Self.report([error.description])
                throw ExitCode.failure
            }
            let files: [APIArtifactEmitter.EmittedFile]
            do throws(APIValidationError) {
                var parsed = try emitter.definition(fromJSON: bytes, source: definition)
                if parsed.provider == nil { parsed.provider = provider }
                files = try emitter.emit(parsed, status: renderedStatus)
            } catch {
                Self.report(error.issues.map { "\(definition): \($0)" })
                throw ExitCode.failure
            }
            if output == "-" {
                print(files[0].xml, terminator: files[0].xml.hasSuffix("\n") ? "" : "\n")
                if files.count > 1 {
                    Self.report(["note: default-version artifact \(files[1].fileName) not written; use --output DIR"])
                }
                return
            }
            let writer = DeploymentFolderWriter(apiFolder: output)
            for file in files {
                do {
                    try writer.write(file.xml, fileName: file.fileName)
                } catch {
                    Self.report([error.description])
                    throw ExitCode.failure
                }
                print("wrote \(output.hasSuffix("/") ? output : output + "/")\(file.fileName)")
            }
        }

        private func parsedStatus() throws -> APILifecycleState? {
            guard let status else { return nil }
            guard let state = APILifecycleState(rawValue: status.uppercased()) else {
                let names = APILifecycleState.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown status '\(status)'; use one of \(names)")
            }
            return state
        }

        private func readDefinition() throws -> [UInt8] {
            if definition == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
            guard let data = FileManager.default.contents(atPath: definition) else {
                Self.report(["\(definition): cannot read the file"])
                throw ExitCode.failure
            }
            return Array(data)
        }

        private static func report(_ lines: [String]) {
            for line in lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
    }
}
