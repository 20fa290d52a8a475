public import SluiceModel
internal import SluiceXML

/// `<callout serviceURL= | endpointKey= [action=] [initAxis2ClientOptions=]>[<endpoint/>][<configuration/>]
/// [<source xpath= | key= | type="envelope"/>][<target xpath= | key=/>]</callout>`: sends part of the message to a
/// service, waits for the answer without blocking a thread, and puts the answer back into the message, which
/// then goes on as it was (the request stays the request).
///
/// Sluice has no Axis2 client: `initAxis2ClientOptions`, `useServerConfig` and `<configuration>` are read and have
/// no effect; `<enableSec>` (WS-Security) is refused.
public struct CalloutMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "callout"

    /// Where the request goes.
    public enum Destination: Sendable, Hashable {
        case serviceURL(String)
        case endpointKey(String)
        /// An inline `<endpoint>` child (WSO2).
        case endpoint(EndpointDefinition)
        /// None of them: the message's WS-Addressing `To`, as WSO2's callout then sends through a `DefaultEndpoint`.
        case messageTo
    }

    /// What is sent: the element an XPath selects (the first), the XML a property or local entry holds, or the
    /// message as it is.
    public enum Source: Sendable, Hashable {
        case envelope
        case xpath(SynapseExpression)
        case key(String)
    }

    /// Where the answer goes: in place of the element an XPath selects, into a property (as XML), or (nil) it
    /// replaces the whole payload.
    public enum Target: Sendable, Hashable {
        case xpath(SynapseExpression)
        case key(String)
    }

    public var destination: Destination
    public var action: String?
    public var source: Source
    public var target: Target?
    /// Kept for writing the artifact back; Sluice has no Axis2 client options.
    public var initAxis2ClientOptions: Bool?

    public init(
        destination: Destination,
        action: String? = nil,
        source: Source = .envelope,
        target: Target? = nil,
        initAxis2ClientOptions: Bool? = nil
    ) {
        self.destination = destination
        self.action = action
        self.source = source
        self.target = target
        self.initAxis2ClientOptions = initAxis2ClientOptions
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CalloutMediator? {
        reader.ignoreText(in: element)
        var ok = true
        var endpoint: EndpointDefinition?
        var source = Source.envelope
        var target: Target?
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "endpoint":
                if let read = reader.readEndpoint(child) { endpoint = read } else { ok = false }
            case "configuration":
                break  // axis2.xml and client repository paths: Sluice has no Axis2 client.
            case "source":
                if let read = readSource(child, reader: reader) { source = read } else { ok = false }
            case "target":
                if let read = readTarget(child, reader: reader) { target = read } else { ok = false }
            case "enableSec":
                reader.report(
                    "<callout> with <enableSec> is not supported: Sluice does not apply WS-Security policies",
                    at: child
                )
                ok = false
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        let destination: Destination?
        switch (element.attribute("serviceURL"), element.attribute("endpointKey"), endpoint) {
        case (let url?, nil, nil): destination = .serviceURL(url)
        case (nil, let key?, nil): destination = .endpointKey(key)
        case (nil, nil, let endpoint?): destination = .endpoint(endpoint)
        case (nil, nil, nil): destination = .messageTo
        default:
            reader.report("<callout> takes only one of 'serviceURL', 'endpointKey' and <endpoint>", at: element)
            destination = nil
        }
        var initOptions: Bool?
        if element.attribute("initAxis2ClientOptions") != nil {
            initOptions = reader.flag("initAxis2ClientOptions", of: element, default: true)
        }
        guard ok, let destination else { return nil }
        return CalloutMediator(
            destination: destination,
            action: element.attribute("action"),
            source: source,
            target: target,
            initAxis2ClientOptions: initOptions
        )
    }

    private static func readSource(_ element: XMLElementNode, reader: ArtifactReader) -> Source? {
        if element.attribute("type") == "envelope" { return .envelope }
        if let xpath = element.attribute("xpath") {
            return reader.expression(xpath, attribute: "xpath", of: element).map(Source.xpath)
        }
        if let key = element.attribute("key") { return .key(key) }
        reader.report("the <source> of <callout> needs 'xpath', 'key' or type=\"envelope\"", at: element)
        return nil
    }

    private static func readTarget(_ element: XMLElementNode, reader: ArtifactReader) -> Target? {
        if let xpath = element.attribute("xpath") {
            return reader.expression(xpath, attribute: "xpath", of: element).map(Target.xpath)
        }
        if let key = element.attribute("key") { return .key(key) }
        reader.report("the <target> of <callout> needs 'xpath' or 'key'", at: element)
        return nil
    }

    func write(to writer: XMLWriter) {
        var url: String?
        var key: String?
        switch destination {
        case .serviceURL(let value): url = value
        case .endpointKey(let value): key = value
        case .endpoint, .messageTo: break
        }
        let options = initAxis2ClientOptions.map { $0 ? "true" : "false" }
        writer.element(
            "callout",
            ["serviceURL": url, "endpointKey": key, "action": action, "initAxis2ClientOptions": options]
        ) {
            if case .endpoint(let endpoint) = destination { writer.endpoint(endpoint) }
            switch source {
            case .envelope: writer.element("source", ["type": "envelope"])
            case .xpath(let xpath): writer.element("source", ["xpath": xpath.source], namespaces: xpath.namespaces)
            case .key(let key): writer.element("source", ["key": key])
            }
            switch target {
            case .xpath(let xpath)?: writer.element("target", ["xpath": xpath.source], namespaces: xpath.namespaces)
            case .key(let key)?: writer.element("target", ["key": key])
            case nil: break
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        let definition: EndpointDefinition
        switch destination {
        case .serviceURL(let url): definition = EndpointDefinition(kind: .address(AddressEndpoint(uri: url)))
        case .endpointKey(let key): definition = EndpointDefinition(kind: .reference(key: key))
        case .endpoint(let endpoint): definition = endpoint
        case .messageTo: definition = EndpointDefinition(kind: .defaultAddress(DefaultEndpoint()))
        }
        let compiledSource: CompiledCalloutMediator.Source
        switch source {
        case .envelope: compiledSource = .envelope
        case .xpath(let xpath): compiledSource = .xpath(try compilation.expression(xpath))
        case .key(let key): compiledSource = .key(key)
        }
        let compiledTarget: CompiledCalloutMediator.Target
        switch target {
        case .xpath(let xpath)?:
            let compiled = try compilation.expression(xpath)
            guard case .xpath(let text, let namespaces) = compiled.kind else {
                throw compilation.error(.unsupported("callout target '\(xpath.source)': use an XPath"))
            }
            compiledTarget = .xpath(text, namespaces: namespaces)
        case .key(let key)?: compiledTarget = .key(key)
        case nil: compiledTarget = .payload
        }
        let endpoint = try compilation.resolve(definition)
        if endpoint.isRecipientList {
            throw compilation.error(.unsupported("callout to a recipientlist endpoint: callout waits for one answer"))
        }
        return CompiledCalloutMediator(
            endpoint: endpoint,
            action: action,
            source: compiledSource,
            target: compiledTarget
        )
    }
}

extension MediatorNode {
    /// A `<callout>` node.
    public static func callout(_ mediator: CalloutMediator) -> MediatorNode { MediatorNode(mediator) }
}
