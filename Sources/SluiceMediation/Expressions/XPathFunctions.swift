internal import CLibXML2
import SluiceModel

/// The functions Synapse's XPath offers beyond XPath 1.0's own, registered on each evaluation context:
///
/// - Synapse's extension functions (no prefix, as Synapse resolves them by local name): `base64Encode(text[,
///   charset])`, `base64Decode(text[, charset])` (trimmed, as Synapse trims the decoded text) and
///   `url-encode(text[, charset])` (commons-httpclient's `encodePathQuery`: reserved characters stay, space is
///   `%20`). An empty text gives an empty string; only UTF-8 (and its aliases) is known as a charset.
/// - The XPath 2.0 function namespace under its usual prefix `fn:` (WSO2 users write `fn:concat(...)`, which
///   Synapse hands to Saxon): XPath 1.0's string, number and node functions, and `upper-case`, `lower-case`,
///   `ends-with`, `current-dateTime`, `current-date`, `current-time` (UTC, from the message's clock).
enum XPathFunctions {
    static let xpath2Namespace = "http://www.w3.org/2005/xpath-functions"

    /// XPath 1.0 functions libxml2 implements, also offered as `fn:name`.
    private static let xpath1Functions: [(String, xmlXPathFunction)] = [
        ("string-length", xmlXPathStringLengthFunction), ("concat", xmlXPathConcatFunction),
        ("substring", xmlXPathSubstringFunction), ("substring-before", xmlXPathSubstringBeforeFunction),
        ("substring-after", xmlXPathSubstringAfterFunction), ("contains", xmlXPathContainsFunction),
        ("starts-with", xmlXPathStartsWithFunction), ("normalize-space", xmlXPathNormalizeFunction),
        ("translate", xmlXPathTranslateFunction), ("string", xmlXPathStringFunction),
        ("number", xmlXPathNumberFunction), ("boolean", xmlXPathBooleanFunction), ("not", xmlXPathNotFunction),
        ("true", xmlXPathTrueFunction), ("false", xmlXPathFalseFunction), ("count", xmlXPathCountFunction),
        ("sum", xmlXPathSumFunction), ("floor", xmlXPathFloorFunction), ("ceiling", xmlXPathCeilingFunction),
        ("round", xmlXPathRoundFunction), ("local-name", xmlXPathLocalNameFunction),
        ("namespace-uri", xmlXPathNamespaceURIFunction), ("position", xmlXPathPositionFunction),
        ("last", xmlXPathLastFunction),
    ]

    private static let xpath2Functions: [(String, xmlXPathFunction)] = [
        ("upper-case", upperCase), ("lower-case", lowerCase), ("ends-with", endsWith),
        ("current-dateTime", currentDateTime), ("current-date", currentDate), ("current-time", currentTime),
    ]

    private static let synapseFunctions: [(String, xmlXPathFunction)] = [
        ("base64Encode", base64Encode), ("base64Decode", base64Decode), ("url-encode", urlEncode),
    ]

    /// Registers the functions on an evaluation context.
    static func register(in xpath: xmlXPathContextPtr) {
        for (name, function) in synapseFunctions {
            _ = name.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) {
                xmlXPathRegisterFunc(xpath, $0, function)
            } }
        }
        for (name, function) in xpath1Functions + xpath2Functions {
            _ = name.withCString { nameChars in
                xpath2Namespace.withCString { namespaceChars in
                    nameChars.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { name in
                        namespaceChars.withMemoryRebound(to: xmlChar.self, capacity: xpath2Namespace.utf8.count + 1) {
                            xmlXPathRegisterFuncNS(xpath, name, $0, function)
                        }
                    }
                }
            }
        }
    }

    // MARK: - Arguments and results

    /// Pops `count` arguments as strings, in the order they were written; nil when the stack runs short.
    static func stringArguments(_ parser: xmlXPathParserContextPtr, count: Int32) -> [String]? {
        var arguments: [String] = []
        for _ in 0..<max(0, Int(count)) {
            guard let object = valuePop(parser), let converted = xmlXPathConvertString(object) else { return nil }
            arguments.insert(converted.pointee.stringval.map { String(cString: $0) } ?? "", at: 0)
            xmlXPathFreeObject(converted)
        }
        return arguments
    }

    static func push(_ text: String, on parser: xmlXPathParserContextPtr) {
        _ = text.withCString { chars in
            chars.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1) {
                valuePush(parser, xmlXPathNewString($0))
            }
        }
    }

    static func pushBoolean(_ value: Bool, on parser: xmlXPathParserContextPtr) {
        _ = valuePush(parser, xmlXPathNewBoolean(value ? 1 : 0))
    }

    /// Runs `body` over the string arguments when there are `arity` of them, else raises XPath's arity error.
    private static func withArguments(
        _ parser: xmlXPathParserContextPtr?, _ count: Int32, arity: ClosedRange<Int32>,
        _ body: (xmlXPathParserContextPtr, [String]) -> Void
    ) {
        guard let parser else { return }
        guard arity.contains(count), let arguments = stringArguments(parser, count: count) else {
            xmlXPathErr(parser, Int32(XPATH_INVALID_ARITY.rawValue))
            return
        }
        body(parser, arguments)
    }

    private static func clock(of parser: xmlXPathParserContextPtr) -> EpochClock {
        guard let opaque = parser.pointee.context.pointee.userData else { return .system }
        return XPathEngine.messageContext(from: opaque).clock
    }

    /// True for the charsets the functions know (Synapse takes any Java charset name; the gateway writes UTF-8).
    private static func isUTF8(_ charset: String?) -> Bool {
        guard let charset else { return true }
        return ["utf-8", "utf8"].contains(charset.trimmingWhitespace().lowercased())
    }

    // MARK: - XPath 2.0

    private static let upperCase: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 1...1) { push($1[0].uppercased(), on: $0) }
    }

    private static let lowerCase: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 1...1) { push($1[0].lowercased(), on: $0) }
    }

    private static let endsWith: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 2...2) { pushBoolean($1[0].hasSuffix($1[1]), on: $0) }
    }

    private static let currentDateTime: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 0...0) { parser, _ in push(clock(of: parser).iso8601(), on: parser) }
    }

    private static let currentDate: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 0...0) { parser, _ in
            push(clock(of: parser).formatted("yyyy-MM-dd'Z'"), on: parser)
        }
    }

    private static let currentTime: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 0...0) { parser, _ in
            push(clock(of: parser).formatted("HH:mm:ss.SSS'Z'"), on: parser)
        }
    }

    // MARK: - Synapse

    private static let base64Encode: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 1...2) { parser, arguments in
            guard isUTF8(arguments.count == 2 ? arguments[1] : nil) else {
                xmlXPathErr(parser, Int32(XPATH_EXPR_ERROR.rawValue))
                return
            }
            push(Base64.encode(Array(arguments[0].utf8)), on: parser)
        }
    }

    private static let base64Decode: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 1...2) { parser, arguments in
            guard isUTF8(arguments.count == 2 ? arguments[1] : nil) else {
                xmlXPathErr(parser, Int32(XPATH_EXPR_ERROR.rawValue))
                return
            }
            let bytes = Base64.decode(arguments[0]) ?? []
            push(String(decoding: bytes, as: UTF8.self).trimmingWhitespace(), on: parser)
        }
    }

    private static let urlEncode: xmlXPathFunction = { parser, count in
        withArguments(parser, count, arity: 1...2) { parser, arguments in
            guard isUTF8(arguments.count == 2 ? arguments[1] : nil) else {
                xmlXPathErr(parser, Int32(XPATH_EXPR_ERROR.rawValue))
                return
            }
            // commons-httpclient's path-and-query set: unreserved, reserved and `!~*'()` stay.
            push(PercentEncoding.encode(arguments[0], keeping: "!*'();:@&=+$,/?"), on: parser)
        }
    }
}
