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
            rejectText(in: root)
            for child in root.childElements {
                readTopLevel(child, into: &artifacts, parent: root)
            }
        case "api", "sequence", "endpoint":
            readTopLevel(root, into: &artifacts, parent: nil)
        default:
            report(
                "unknown element '<\(root.qualifiedName)>': expected <api>, <sequence>, <endpoint> or <definitions>",
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
        default:
            if let parent { reportUnknown(element, in: parent) }
        }
    }
}
