/// The Axis2 and WSO2 message builder and formatter classes `<builder>` accepts, each standing for the Sluice
/// builder or formatter of the same format.
enum MessageBuilderClass {
    /// The formats Sluice builds and writes messages in.
    enum Format: String, Sendable, Hashable {
        /// Parsed as JSON (`JSONParser`); a body that is not JSON fails to build.
        case json
        /// Parsed as XML (libxml2, hardened); SOAP envelopes are XML too.
        case xml
        /// `application/x-www-form-urlencoded`: kept as text, read by name when an expression asks.
        case form
        /// Plain text, kept as it is.
        case text
        /// Bytes passed through as they are: Sluice does not take MTOM or MIME multipart messages apart.
        case binary
    }

    private static let builders: [String: Format] = [
        "org.apache.axis2.json.JSONBuilder": .json,
        "org.apache.axis2.json.JSONStreamBuilder": .json,
        "org.apache.axis2.json.gson.JsonBuilder": .json,
        "org.apache.synapse.commons.json.JsonBuilder": .json,
        "org.apache.synapse.commons.json.JsonStreamBuilder": .json,
        "org.apache.axis2.builder.ApplicationXMLBuilder": .xml,
        "org.apache.axis2.builder.SOAPBuilder": .xml,
        "org.apache.axis2.builder.XFormURLEncodedBuilder": .form,
        "org.apache.synapse.commons.builders.XFormURLEncodedBuilder": .form,
        "org.apache.axis2.format.PlainTextBuilder": .text,
        "org.apache.axis2.format.BinaryBuilder": .binary,
        "org.wso2.carbon.relay.BinaryRelayBuilder": .binary,
        "org.apache.axis2.builder.MTOMBuilder": .binary,
        "org.apache.axis2.builder.MIMEBuilder": .binary,
    ]

    private static let formatters: [String: Format] = [
        "org.apache.axis2.json.JSONMessageFormatter": .json,
        "org.apache.axis2.json.JSONStreamFormatter": .json,
        "org.apache.axis2.json.gson.JsonFormatter": .json,
        "org.apache.synapse.commons.json.JsonFormatter": .json,
        "org.apache.synapse.commons.json.JsonStreamFormatter": .json,
        "org.apache.axis2.transport.http.ApplicationXMLFormatter": .xml,
        "org.apache.axis2.transport.http.SOAPMessageFormatter": .xml,
        "org.apache.axis2.transport.http.XFormURLEncodedFormatter": .form,
        "org.apache.axis2.format.PlainTextFormatter": .text,
        "org.apache.axis2.format.BinaryFormatter": .binary,
        "org.wso2.carbon.relay.ExpandingMessageFormatter": .binary,
    ]

    /// The format a builder class stands for, or nil for a class Sluice does not know.
    static func builder(named className: String) -> Format? { builders[className] }

    /// The format a formatter class stands for, or nil for a class Sluice does not know.
    static func formatter(named className: String) -> Format? { formatters[className] }

    static func unknownBuilder(_ className: String) -> String {
        "unknown message builder class '\(className)': a Java class, which Sluice cannot load; Sluice builds JSON, "
            + "XML, form, text and binary messages itself and accepts these builder classes for them: "
            + builders.keys.sorted().joined(separator: ", ")
    }

    static func unknownFormatter(_ className: String) -> String {
        "unknown message formatter class '\(className)': a Java class, which Sluice cannot load; Sluice writes JSON, "
            + "XML, form, text and binary messages itself and accepts these formatter classes for them: "
            + formatters.keys.sorted().joined(separator: ", ")
    }
}
