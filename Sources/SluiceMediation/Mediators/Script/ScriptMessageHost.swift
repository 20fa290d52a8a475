import Logging
import SluiceModel
import SluiceScript

/// Synapse's `ScriptMessageContext` over a Sluice message: what a script's `mc` calls reach.
///
/// Payloads cross as text: `getPayloadXML` gives the payload element as a string (Synapse's Rhino gave an E4X XML
/// object, so `mc.getPayloadXML()..name` navigation is not available; parse or use string operations instead),
/// `getPayloadJSON` a parsed object. Properties keep their types as JSON (numbers, booleans, objects, strings).
final class ScriptMessageHost: ScriptHost {
    var context: MessageContext

    init(context: MessageContext) {
        self.context = context
    }

    func perform(_ operation: String, _ arguments: [String?]) -> ScriptHostResult {
        do throws(MediationFault) {
            return try perform(operation, arguments[...])
        } catch {
            return .error(error.detail ?? error.message)
        }
    }

    private func perform(_ operation: String, _ arguments: ArraySlice<String?>) throws(MediationFault) -> ScriptHostResult {
        func argument(_ index: Int) -> String? {
            arguments.indices.contains(arguments.startIndex + index) ? arguments[arguments.startIndex + index] : nil
        }
        switch operation {
        case "getPayloadJSON":
            return .value(try payloadJSON()?.description ?? "null")
        case "getJsonText":
            return .value(try payloadJSON().map { JSONValue.quoted($0.description) } ?? "null")
        case "setPayloadJSON":
            let text = argument(0) ?? "null"
            do {
                _ = try JSONParser.parse(text)
            } catch {
                return .error("setPayloadJSON: not JSON: \(error)")
            }
            context.replaceBody(with: text, contentType: "application/json")
        case "getPayloadXML":
            return .value(try payloadXML().map(JSONValue.quoted) ?? "null")
        case "setPayloadXML":
            guard let xml = argument(0), XPathEngine.isWellFormed(xml) else {
                return .error("setPayloadXML: the payload is not well-formed XML")
            }
            try setPayloadXML(xml)
        case "getPayloadText":
            return .value(JSONValue.quoted(try context.bodyText(for: "script")))
        case "getEnvelopeXML":
            return .value(JSONValue.quoted(try envelope()))
        case "getProperty":
            let scope = try self.scope(argument(1))
            return .value(Self.json(context.lookupProperty(scope: scope, name: argument(0) ?? "")))
        case "setProperty":
            let scope = try self.scope(argument(2))
            context[property: argument(0) ?? "", scope: scope] = try Self.propertyValue(json: argument(1) ?? "null")
        case "removeProperty":
            context[property: argument(0) ?? "", scope: try scope(argument(1))] = nil
        case "getTo":
            return .value(Self.json(context.lookupProperty(scope: .default, name: "To")))
        case "setTo":
            context.addressing.to = argument(0)
        case "getMessageID":
            if context.addressing.messageID == nil { context.addressing.messageID = Self.newMessageID() }
            return .value(context.addressing.messageID.map(JSONValue.quoted))
        case "isResponse":
            return .value(context.isResponse ? "true" : "false")
        case "log":
            let level: Logger.Level =
                switch argument(0) {
                case "debug": .debug
                case "warn": .warning
                case "error": .error
                default: .info
                }
            context.logger.log(level: level, "\(argument(1) ?? "")", metadata: ["sluice.mediator": "script"])
        default:
            return .error("mc.\(operation) is not supported by Sluice")
        }
        return .value(nil)
    }

    // MARK: - Payloads

    /// The JSON payload; an XML payload converted as Synapse's JSON for it; nil without a payload.
    private func payloadJSON() throws(MediationFault) -> JSONValue? {
        if let json = try context.jsonBody(for: "script") { return json }
        guard let xml = try context.xmlPayload(for: "script") else { return nil }
        return try XMLJSONConverter.json(for: xml)
    }

    /// The payload element (the first child of a SOAP body); nil without a payload.
    private func payloadXML() throws(MediationFault) -> String? {
        guard let payload = try context.xmlPayload(for: "script") else { return nil }
        let result = try XPathEngine.evaluate("$body/*[1]", namespaces: [:], payload: payload, context: context)
        let markup = result.markup
        return markup.isEmpty ? nil : markup
    }

    /// The payload as a SOAP envelope: the message itself when it is one, otherwise wrapped in a SOAP 1.1 envelope
    /// as Synapse holds every message.
    private func envelope() throws(MediationFault) -> String {
        let payload = try context.xmlPayload(for: "script") ?? ""
        if context.soapVersion != nil, payload.contains("Envelope") { return payload }
        return "<soapenv:Envelope xmlns:soapenv=\"\(XPathEngine.soap11Namespace)\"><soapenv:Body>"
            + payload + "</soapenv:Body></soapenv:Envelope>"
    }

    /// Replaces the payload element (the first child of the SOAP body): a SOAP message keeps its envelope, a JSON
    /// message becomes XML that is written as JSON again (Synapse's message type stays JSON).
    private func setPayloadXML(_ xml: String) throws(MediationFault) {
        if let payload = try context.xmlPayload(for: "script"),
            let replaced = try? XPathEngine.enrich(
                payload: payload, target: "$body/*[1]", namespaces: [:], content: .markup(xml), placement: .replace,
                context: context
            )
        {
            context.replaceXMLPayload(with: replaced)
        } else {
            context.replaceXMLPayload(with: xml)
        }
    }

    // MARK: - Values

    private func scope(_ name: String?) throws(MediationFault) -> PropertyScope {
        guard let name else { return .default }
        guard let scope = PropertyScope(rawValue: name) else {
            throw MediationFault.mediatorFailed("script", "unknown property scope '\(name)'")
        }
        return scope
    }

    /// A property as JSON: strings and XML as strings, numbers, booleans, JSON as is; null when unset.
    static func json(_ value: PropertyValue?) -> String {
        switch value {
        case nil: "null"
        case .string(let text)?, .xml(let text)?: JSONValue.quoted(text)
        case .integer(let number)?: String(number)
        case .double(let number)?: number.isFinite ? JSONValue.format(number) : "null"
        case .boolean(let flag)?: flag ? "true" : "false"
        case .json(let json)?: json.description
        }
    }

    /// What `setProperty` stores: strings, integers, doubles and booleans as themselves, objects and arrays as a JSON
    /// property, null removes.
    static func propertyValue(json text: String) throws(MediationFault) -> PropertyValue? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw MediationFault.mediatorFailed("script", "setProperty: \(error)")
        }
        switch value {
        case .null: return nil
        case .bool(let flag): return .boolean(flag)
        case .string(let text): return .string(text)
        case .number(let text):
            if let integer = Int(text) { return .integer(integer) }
            return Double(text).map(PropertyValue.double) ?? .string(text)
        case .array, .object: return .json(value)
        }
    }

    private static func newMessageID() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }
        let groups = [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }
        return "urn:uuid:" + groups.joined(separator: "-")
    }
}
