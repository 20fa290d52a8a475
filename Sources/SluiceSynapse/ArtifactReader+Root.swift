import SluiceMediation
import SluiceModel
import SluiceXML

extension ArtifactReader {
    /// Reads a document's root: `<api>`, `<sequence>`, `<endpoint>` or `<definitions>`.
    func readArtifacts(root: XMLElementNode) -> SynapseArtifacts {
        var artifacts = SynapseArtifacts()
        guard isSynapseNamespace(root) else {
            let found = root.namespaceURI.map { "namespace '\($0)'" } ?? "no namespace"
            report(
                "<\(root.localName)> must be in the Synapse namespace '\(Self.synapseNamespace)' (found \(found))",
                at: root
            )
            return artifacts
        }
        switch root.localName {
        case "definitions":
            ignoreText(in: root)
            for child in root.childElements {
                readTopLevel(child, into: &artifacts, parent: root)
            }
        case "api", "sequence", "endpoint", "localEntry", "template":
            readTopLevel(root, into: &artifacts, parent: nil)
        default:
            if let reason = Self.refusedArtifacts[root.localName] {
                report("<\(root.localName)> artifacts are not supported: \(reason)", at: root)
                return artifacts
            }
            report(
                "unknown element '<\(root.qualifiedName)>': expected <api>, <sequence>, <endpoint>, <localEntry>, "
                    + "<template> or <definitions>",
                at: root
            )
        }
        return artifacts
    }

    private func readTopLevel(
        _ element: XMLElementNode,
        into artifacts: inout SynapseArtifacts,
        parent: XMLElementNode?
    ) {
        guard isSynapseNamespace(element) else {
            if let parent { reportUnknown(element, in: parent) }
            return
        }
        switch element.localName {
        case "api":
            if let api = readAPI(element) { artifacts.apis.append(api) }
        case "sequence":
            if let sequence = readNamedSequence(element) { artifacts.sequences.append(sequence) }
        case "endpoint":
            guard required("name", of: element) != nil else { return }
            if let endpoint = readEndpoint(element) { artifacts.endpoints.append(endpoint) }
        case "localEntry":
            if let entry = readLocalEntry(element) { artifacts.localEntries.append(entry) }
        case "template":
            if let template = readTemplate(element) { artifacts.templates.append(template) }
        case "registry", "description":
            // Synapse's registry definition and the configuration's description: nothing Sluice uses.
            break
        default:
            if let reason = Self.refusedArtifacts[element.localName] {
                report("<\(element.localName)> artifacts are not supported: \(reason)", at: element)
            } else if let parent {
                reportUnknown(element, in: parent)
            }
        }
    }
}

extension ArtifactReader {
    /// Synapse artifacts out of Sluice's scope, with the reason the user is given.
    static let refusedArtifacts: [String: String] = [
        "proxy": "proxy services are out of scope for Sluice, an API gateway; expose the service as an <api>",
        "task": "scheduled tasks are out of scope for Sluice",
        "messageStore": "message stores are out of scope for Sluice",
        "messageProcessor": "message processors are out of scope for Sluice",
        "inboundEndpoint": "inbound endpoints are out of scope for Sluice; the gateway listens on HTTP and HTTPS",
        "eventSource": "event sources are out of scope for Sluice",
        // Synapse's element is <priorityExecutor> (XMLConfigConstants.EXECUTOR_ELT).
        "priorityExecutor": "priority executors are out of scope for Sluice",
        // `<import name= package=>` enables a Synapse library (a zip of templates and classes: WSO2's connectors,
        // Synapse's EIP library), which Sluice does not load.
        "import": "Synapse library imports (WSO2 connectors, Synapse's EIP library) are out of scope for Sluice; "
            + "deploy a library's templates as <template> artifacts named '{package}.{name}' (Synapse's EIP library "
            + "classes are built in)",
    ]
}
