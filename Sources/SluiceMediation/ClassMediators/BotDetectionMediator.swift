internal import CLibXML2
import Logging
import NIOHTTP1
import SluiceModel
internal import SluiceXML

/// WSO2's `BotDetectionMediator`, the whole in sequence of WSO2's bot trap `_OpenService_` (context `/service`,
/// which no client has a reason to call): records who called and logs it.
///
/// Per call it takes the caller's address (``MessageContext/clientIP``) and counts it (``BotAccessThrottle``,
/// WSO2's `throttleLimit`, 2 by default: three calls recorded, then the address is throttled out until it has been
/// quiet for 60 s). A throttled-out call only gets WSO2's `BOT_THROTTLED_OUT` (true) and `BOT_IP` properties.
/// Any other call is recorded as a ``BotAccess`` (time, message id, method, headers as WSO2 prints its header map,
/// the body as WSO2 prints its SOAP body, address), logged at info in WSO2's line, and offered to the sink, which
/// stores it in the background; without a sink (no database on this node) it is only logged, as WSO2 logs it
/// without analytics. It never stops mediation.
///
/// Deliberate differences: credentials (`Authorization`, `Cookie`, API keys...) are written as `***` in the record
/// and the log, and the header set and body are cut to ``BotAccess/maxTextBytes`` each.
public struct BotDetectionMediator: Mediator {
    /// WSO2's class name.
    public static let classNames = ["org.wso2.carbon.apimgt.gateway.mediators.BotDetectionMediator"]
    /// Set to true on a throttled-out call (WSO2's property).
    public static let throttledOutProperty = "BOT_THROTTLED_OUT"
    /// The throttled-out caller's address (WSO2's property).
    public static let addressProperty = "BOT_IP"
    /// WSO2's default `throttleLimit`.
    public static let defaultThrottleLimit = 2

    let throttleLimit: Int
    let throttle: BotAccessThrottle
    let sink: (any BotAccessSink)?
    let clock: EpochClock

    /// Creates the mediator from its `<class>` element: `throttleLimit` (a whole number, 0 or more) is its one
    /// setter.
    /// - Throws: `MediationCompileError.invalidConfiguration` for another property or a bad limit.
    init(
        _ node: ClassMediator,
        throttle: BotAccessThrottle,
        sink: (any BotAccessSink)?,
        clock: EpochClock
    ) throws(MediationCompileError) {
        var limit = Self.defaultThrottleLimit
        for property in node.properties {
            guard property.name == "throttleLimit" else {
                let setter = "set" + property.name.prefix(1).uppercased() + property.name.dropFirst()
                throw MediationCompileError(
                    .invalidConfiguration(className: node.className, reason: "Did not find a setter method named : \(setter)()")
                )
            }
            guard case .literal(let text) = property.value, let value = Int(text.trimmingWhitespace()), value >= 0 else {
                throw MediationCompileError(
                    .invalidConfiguration(
                        className: node.className,
                        reason: "property 'throttleLimit' must have a 'value' that is a whole number, 0 or more"
                    )
                )
            }
            limit = value
        }
        self.init(throttleLimit: limit, throttle: throttle, sink: sink, clock: clock)
    }

    init(throttleLimit: Int, throttle: BotAccessThrottle, sink: (any BotAccessSink)?, clock: EpochClock) {
        self.throttleLimit = throttleLimit
        self.throttle = throttle
        self.sink = sink
        self.clock = clock
    }

    // WSO2 builds the message to print its body.
    public var readsBody: Bool { true }

    public func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool {
        let address = context.clientIP
        let now = clock.millisecondsSinceEpoch()
        guard throttle.admits(address, limit: throttleLimit, now: now) else {
            context[property: Self.throttledOutProperty] = .boolean(true)
            context[property: Self.addressProperty] = .string(address)
            return true
        }
        if context.addressing.messageID == nil { context.addressing.messageID = "urn:uuid:" + RequestIDHandler.makeID() }
        let access = BotAccess(
            recordedTime: now,
            messageID: context.addressing.messageID ?? "",
            method: context.method,
            headerSet: BotAccess.bounded(Self.headerSet(context.headers)),
            messageBody: BotAccess.bounded(Self.messageBody(&context)),
            clientIP: address
        )
        // WSO2's line, word for word, so log filters written for WSO2's bot detection keep matching.
        context.logger.info(
            "MessageId : \(access.messageID) | Request Method : \(access.method) | Message Body : \(access.messageBody) | client Ip : \(access.clientIP) | Headers set : \(access.headerSet)",
            metadata: ["sluice.mediator": "BotDetectionMediator"]
        )
        sink?.offer(access)
        return true
    }

    /// The headers as WSO2 prints its transport-header map: `[Name=value, Name=value]`, sorted by name ignoring
    /// case (a case-insensitive `TreeMap`), the first value of a repeated name (the map keeps one), credentials
    /// as `***`.
    static func headerSet(_ headers: HTTPHeaders) -> String {
        var seen = Set<String>()
        var entries: [(name: String, value: String)] = []
        for (name, value) in headers where seen.insert(name.lowercased()).inserted {
            let secret = CompiledLogMediator.secretHeaders.contains(name.lowercased())
            entries.append((name, secret ? "***" : value))
        }
        entries.sort { $0.name.lowercased() < $1.name.lowercased() }
        return "[" + entries.map { $0.name + "=" + $0.value }.joined(separator: ", ") + "]"
    }

    /// The body as WSO2 prints its SOAP body: `<soapenv:Body xmlns:soapenv="...">payload</soapenv:Body>` (JSON as
    /// Synapse's XML, text in Synapse's text wrapper, no payload as an empty element); "Malformed Message" when the
    /// body is not the JSON or XML it claims to be, as WSO2 prints when it cannot build the message.
    static func messageBody(_ context: inout MessageContext) -> String {
        // A SOAP message keeps its envelope's version; WSO2 builds other messages into a SOAP 1.2 envelope (the
        // admin API's example shows `http://www.w3.org/2003/05/soap-envelope`).
        let namespace = (context.soapVersion ?? .soap12).envelopeNamespace
        let payload: String
        do {
            payload = try context.xmlPayloadForFormat()
        } catch {
            return "Malformed Message"
        }
        let open = "<soapenv:Body xmlns:soapenv=\"\(namespace)\""
        if payload.isEmpty { return open + "/>" }
        if payload.hasPrefix("<") {
            guard let parsed = try? HardenedXMLParser.parse(payload) else { return "Malformed Message" }
            xmlFreeDoc(parsed.document)
        }
        return open + ">" + payload + "</soapenv:Body>"
    }
}
