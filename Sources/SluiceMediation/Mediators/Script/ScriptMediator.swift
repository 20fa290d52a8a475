public import SluiceModel
internal import SluiceXML

/// `<script language="js">inline</script>` or `<script language="js" key= [function=]><include key=/>*</script>`:
/// runs JavaScript with Synapse's `mc` object over the message.
public struct ScriptMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "script"

    /// `js`; Synapse's `nashornJs`, `rhinoJs` and `graalJs` name JavaScript engines too.
    public var language: String
    /// The inline script (nil with `key`).
    public var source: String?
    /// The local entry holding the script.
    public var key: String?
    /// With `key`: the function called with `mc` for each message (`mediate` when nil).
    public var function: String?
    /// Local entries whose scripts load before this one.
    public var includes: [String]

    public init(language: String = "js", source: String? = nil, key: String? = nil, function: String? = nil, includes: [String] = []) {
        self.language = language
        self.source = source
        self.key = key
        self.function = function
        self.includes = includes
    }

    /// The languages Synapse accepts that are JavaScript.
    static let javaScriptLanguages: Set<String> = ["js", "nashornJs", "rhinoJs", "graalJs"]

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ScriptMediator? {
        var ok = true
        let language = reader.required("language", of: element)
        let key = element.attribute("key")
        let function = element.attribute("function")
        if function != nil && key == nil {
            reader.report("<script> 'function' needs a 'key' (an inline script is run whole)", at: element)
            ok = false
        }
        var includes: [String] = []
        for child in element.childElements {
            guard reader.isSynapse(child, named: "include") else {
                reader.reportUnknown(child, in: element)
                ok = false
                continue
            }
            reader.rejectChildren(of: child)
            if let include = reader.required("key", of: child) { includes.append(include) } else { ok = false }
        }
        let source = key == nil ? element.textContent : nil
        if key == nil, source?.trimmingWhitespace().isEmpty ?? true {
            reader.report("<script> needs a 'key' or an inline script", at: element)
            ok = false
        }
        guard ok, let language else { return nil }
        return ScriptMediator(language: language, source: source, key: key, function: function, includes: includes)
    }

    /// An inline script goes out as CDATA (escaped text when it holds `]]>`).
    func write(to writer: XMLWriter) {
        let includeMarkup = includes.map { "<include key=\"\(XMLEscaping.escape($0))\"/>" }.joined()
        let attributes: KeyValuePairs<String, String?> = ["language": language, "key": key, "function": function]
        guard let source else {
            writer.rawElement("script", attributes, raw: includeMarkup)
            return
        }
        let text = source.contains("]]>") ? XMLEscaping.text(source) : "<![CDATA[" + source + "]]>"
        writer.rawElement("script", attributes, raw: includeMarkup + text)
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledScriptMediator(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<script>` node.
    public static func script(_ mediator: ScriptMediator) -> MediatorNode { MediatorNode(mediator) }
}
