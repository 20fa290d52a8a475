import ArgumentParser
import Foundation
import SluiceGateway
import SluiceGatewayHandlers
import SluiceMediation
import SluiceModel
import SluiceSynapse

/// `sluice validate FILE|DIR...`: says what deployment would say, file by file: `OK path`, or
/// `path:line:column: message` per problem.
///
/// Artifacts go through `ArtifactCheck`, the gateway's own deployment pass (parse, compile, references, name and
/// context clashes), against the handler classes a node knows. A repository folder (`conf/` and
/// `deployment/server/synapse-configs/default`) or a `synapse-configs/default` folder is checked as the gateway
/// deploys it; other folders are searched recursively for `*.xml`, and their files, like files named on the
/// command line, are checked with the repository they sit in (`…/api/x.xml`), else with `--repository`, else on
/// their own. Documents artifacts name by http(s) URL (`<localEntry src=>`, `<wsdl uri=>`) are fetched as
/// deployment fetches them, and a failed fetch is the file's error; `--offline` fetches nothing and reports each
/// as a warning (`not fetched: ...`), checking the rest of the file without it. A reference to a
/// sequence, endpoint, template or local entry nothing defines is the deployer's
/// warning (`path:line:column: warning: message`): the artifact deploys and a message reaching the reference
/// faults, as in Synapse. Files named like the configuration files of `repository/conf/` (`identity.xml`,
/// `tiers.xml`, `app-tiers.xml`, `res-tiers.xml`, `api-manager.xml`) are checked with their configuration reader.
/// Exits with 1 on any error, and with `--strict` on any warning too.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check artifact files as deployment would and print their diagnostics.",
        discussion: """
            Prints OK PATH for each file that deploys, else PATH:LINE:COLUMN: MESSAGE per problem. A reference \
            to a sequence, endpoint, template or local entry that nothing deployed defines is a warning \
            (PATH:LINE:COLUMN: warning: MESSAGE): the gateway deploys the file, as Synapse does, and a message \
            reaching the reference runs the fault sequence until the missing artifact is deployed. Exits with 1 \
            on an error; warnings exit with 0 unless --strict is given. Documents named by http(s) URL (local \
            entry sources, WSDLs) are fetched as deployment fetches them (30 s and 10 MiB at most each); with \
            --offline nothing is fetched and each is a warning.
            """
    )

    @Argument(help: "Artifact files or folders (a repository, a synapse-configs folder, or any folder of *.xml).")
    var paths: [String]

    @Option(help: "The repository whose deployed artifacts resolve the references of files outside it.")
    var repository: String?

    @Flag(help: "Exit with 1 on warnings too (references to sequences, endpoints, templates or local entries nothing defines).")
    var strict = false

    @Flag(help: "Fetch no http(s) document (local entry sources, WSDLs): report each as a warning instead.")
    var offline = false

    func run() async throws {
        let lines = await Self.validate(paths, repository: repository, strict: strict, offline: offline)
        for line in lines.output { print(line) }
        if lines.failed { throw ExitCode.failure }
    }

    /// The output lines of `sluice validate`, and whether any is an error.
    static func validate(
        _ paths: [String],
        repository: String?,
        strict: Bool = false,
        offline: Bool = false
    ) async -> (output: [String], failed: Bool) {
        let check = ArtifactCheck(
            handlerRegistry: .apiManagerForChecking,
            networkFetch: NetworkFetchLimits(offline: offline)
        )
        var output: [String] = []
        var failed = false
        var loose: [String] = []
        // Loose files are checked together (their names and contexts clash as deployed together), printed in place.
        var pending: [(index: Int, file: String)] = []
        for path in paths {
            switch Self.classify(path) {
            case .missing:
                output.append("\(path):1:1: no such file or directory")
                failed = true
            case .repository(let conf, let synapse):
                for file in Self.configurationFiles(in: conf) {
                    let lines = Self.checkConfiguration(file) ?? ["OK " + file]
                    failed = failed || !lines.allSatisfy { $0.hasPrefix("OK ") }
                    output += lines
                }
                for report in await check.checkFolder(synapse) {
                    failed = failed || !report.errors.isEmpty || (strict && !report.warnings.isEmpty)
                    output += report.lines
                }
            case .synapseConfigs(let folder):
                for report in await check.checkFolder(folder) {
                    failed = failed || !report.errors.isEmpty || (strict && !report.warnings.isEmpty)
                    output += report.lines
                }
            case .files(let files):
                for file in files {
                    if let lines = Self.checkConfiguration(file) {
                        failed = failed || !lines.allSatisfy { $0.hasPrefix("OK ") }
                        output += lines
                    } else {
                        pending.append((output.count, file))
                        output.append("")
                        loose.append(file)
                    }
                }
            }
        }
        let context = repository.map { Self.synapseConfigPath(ofRepository: $0) ?? $0 }
        let reports = await check.checkFiles(loose, repository: context)
        // Filled from the end, so the indices before each insertion stay valid.
        for (slot, report) in zip(pending, reports).reversed() {
            failed = failed || !report.errors.isEmpty || (strict && !report.warnings.isEmpty)
            output.replaceSubrange(slot.index...slot.index, with: report.lines)
        }
        return (output, failed)
    }

    /// What a command-line path is.
    enum Target {
        case missing
        case repository(conf: String, synapseConfigs: String)
        case synapseConfigs(String)
        case files([String])
    }

    static func classify(_ path: String) -> Target {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        guard isDirectory.boolValue else { return .files([path]) }
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        if let synapse = synapseConfigPath(ofRepository: folder) {
            return .repository(conf: folder + "/conf", synapseConfigs: synapse)
        }
        if ArtifactCheck.isSynapseConfigFolder(folder) { return .synapseConfigs(folder) }
        let entries = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        let files = entries.filter { $0.hasSuffix(".xml") }.sorted().map { folder + "/" + $0 }
        return .files(files.filter { !isFolder($0) })
    }

    /// `<repository>/deployment/server/synapse-configs/default` when it exists.
    static func synapseConfigPath(ofRepository repository: String) -> String? {
        let trimmed = repository.hasSuffix("/") ? String(repository.dropLast()) : repository
        let path = trimmed + "/deployment/server/synapse-configs/default"
        return isFolder(path) ? path : nil
    }

    /// The configuration files a repository's `conf/` holds, in name order, and WSO2's `conf/identity/identity.xml`.
    static func configurationFiles(in conf: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: conf)) ?? []
        let wso2Identity = conf + "/identity/identity.xml"
        return names.sorted().map { conf + "/" + $0 }.filter { configurationReader(for: $0) != nil }
            + (FileManager.default.fileExists(atPath: wso2Identity) ? [wso2Identity] : [])
    }

    /// The lines for a configuration file, nil when `file` is not one.
    static func checkConfiguration(_ file: String) -> [String]? {
        guard let read = configurationReader(for: file) else { return nil }
        do {
            try read()
            return ["OK " + file]
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    private static func configurationReader(for file: String) -> (() throws(SynapseDiagnostics) -> Void)? {
        let name = (file as NSString).lastPathComponent
        switch name {
        case "identity.xml":
            return { () throws(SynapseDiagnostics) in _ = try IdentityConfigReader.read(path: file) }
        case "api-manager.xml":
            return { () throws(SynapseDiagnostics) in _ = try APIManagerConfigReader.read(path: file) }
        default:
            guard let level = TierLevel.allCases.first(where: { $0.fileName == name }) else { return nil }
            return { () throws(SynapseDiagnostics) in _ = try TierConfigReader.read(path: file, level: level) }
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
