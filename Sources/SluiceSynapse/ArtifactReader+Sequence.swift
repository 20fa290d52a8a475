import Foundation
import SluiceMediation
import SluiceModel
import SluiceXML

extension ArtifactReader {
    /// Reads a top-level `<sequence name= [onError=]>`.
    func readNamedSequence(_ element: XMLElementNode) -> SequenceDefinition? {
        let name = required("name", of: element)
        var description: String?
        let mediators = readMediators(in: element) { child in
            // Synapse takes one <description> among a named sequence's children as documentation.
            guard isSynapse(child, named: "description") else { return false }
            if description != nil { report("a <sequence> takes at most one <description>", at: child) }
            rejectChildren(of: child)
            description = child.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
            return true
        }
        guard let name else { return nil }
        return SequenceDefinition(
            name: name,
            onError: element.attribute("onError"),
            statistics: element.attribute("statistics") == "enable",
            trace: element.attribute("trace") == "enable",
            mediators: mediators,
            description: description,
            location: location(of: element)
        )
    }
}
