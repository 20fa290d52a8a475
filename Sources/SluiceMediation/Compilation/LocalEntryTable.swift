import SluiceModel
internal import SluiceXML

/// The deployment's local entries, immutable and shared by every request: `get-property('key')` falls back to them
/// (as Synapse's does), and mediators that take a key read their content at deploy time.
public final class LocalEntryTable: Sendable {
    /// An empty table.
    public static let empty = LocalEntryTable([:])

    let entries: [String: LocalEntry.Content]
    /// The entries that hold an XSLT stylesheet, compiled once for the deployment, for `xslt` keys written as
    /// `{expression}`, which may name any of them per message (a bounded set: one per entry). Failures are kept
    /// for the message that names such an entry.
    let stylesheets: [String: Result<XSLTStylesheet, XMLParseError>]

    init(_ entries: [String: LocalEntry.Content]) {
        self.entries = entries
        var stylesheets: [String: Result<XSLTStylesheet, XMLParseError>] = [:]
        for (key, content) in entries {
            guard let text = content.text, text.contains(XSLTStylesheet.namespace) else { continue }
            do throws(XMLParseError) {
                stylesheets[key] = .success(try XSLTStylesheet(text: text, name: key))
            } catch {
                stylesheets[key] = .failure(error)
            }
        }
        self.stylesheets = stylesheets
    }

    /// The entry's content, or nil.
    func content(forKey key: String) -> LocalEntry.Content? {
        entries[key]
    }

    /// The entry as a property value: text as a string, XML as markup; nil for sequences, endpoints and unknown
    /// keys.
    func value(forKey key: String) -> PropertyValue? {
        switch entries[key] {
        case .text(let text)?: .string(text)
        case .xml(let markup)?: .xml(markup)
        case .sequence?, .endpoint?, nil: nil
        }
    }
}
