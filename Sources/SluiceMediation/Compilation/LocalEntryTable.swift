import SluiceModel

/// The deployment's local entries, immutable and shared by every request: `get-property('key')` falls back to them
/// (as Synapse's does), and mediators that take a key read their content at deploy time.
public final class LocalEntryTable: Sendable {
    /// An empty table.
    public static let empty = LocalEntryTable([:])

    let entries: [String: LocalEntry.Content]

    init(_ entries: [String: LocalEntry.Content]) {
        self.entries = entries
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
