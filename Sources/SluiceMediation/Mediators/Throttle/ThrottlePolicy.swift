import SluiceModel
internal import SluiceXML

/// The inline WS-Policy of a `<throttle>` mediator (WSO2's throttle assertion): for each caller (`ID` of type `IP`
/// or `DOMAIN`, `other` for everyone else), at most `MaximumCount` requests per `UnitTime` milliseconds with an
/// optional `ProhibitTimePeriod`, or always allowed / always denied (`IsAllowed`, `Allow`, `Deny`); and
/// `MaximumConcurrentAccess`, how many messages may be in the mediator's flow at once.
public struct ThrottlePolicy: Sendable, Hashable {
    public var callers: [Caller]
    /// `MaximumConcurrentAccess` outside any caller group; nil when the policy sets none.
    public var maximumConcurrentAccess: Int?

    public init(callers: [Caller], maximumConcurrentAccess: Int? = nil) {
        self.callers = callers
        self.maximumConcurrentAccess = maximumConcurrentAccess
    }

    /// One `ID` and what it may do.
    public struct Caller: Sendable, Hashable {
        public var type: IDType
        /// `other`, an address (`10.0.0.1`), a range (`10.0.0.1 - 10.0.0.9`) or a pattern (`10.0.*.*`); a domain
        /// name for `DOMAIN`.
        public var id: String
        public var access: Access

        public init(type: IDType, id: String, access: Access) {
            self.type = type
            self.id = id
            self.access = access
        }
    }

    public enum IDType: String, Sendable, Hashable {
        case ip = "IP"
        case domain = "DOMAIN"
    }

    public enum Access: Sendable, Hashable {
        case allow
        case deny
        /// `MaximumCount` per `UnitTime` ms; after a rejection the caller stays refused for `prohibitMillis` when set.
        case control(maximumCount: Int64, unitTimeMillis: Int64, prohibitMillis: Int64?)
    }

    /// Why a policy cannot be used.
    struct Failure: Error {
        let message: String
    }

    /// Reads the policy from policy XML text (a local entry).
    static func parse(text: String) throws(Failure) -> ThrottlePolicy {
        do {
            return try parse(try XMLDocumentParser().parse(text: text))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(message: "the throttle policy is not well-formed XML (\(error))")
        }
    }

    /// Reads the policy from its `<wsp:Policy>` element.
    static func parse(_ root: XMLElementNode) throws(Failure) -> ThrottlePolicy {
        guard root.localName == "Policy" else {
            throw Failure(message: "a throttle policy is a <wsp:Policy>, not <\(root.localName)>")
        }
        var policy = ThrottlePolicy(callers: [])
        try collect(root, into: &policy)
        guard !policy.callers.isEmpty || policy.maximumConcurrentAccess != nil else {
            throw Failure(message: "the throttle policy names no caller (<throttle:ID>) and no MaximumConcurrentAccess")
        }
        return policy
    }

    /// Finds every element holding an `ID` (a caller group) below `element`, and the concurrency limit.
    private static func collect(_ element: XMLElementNode, into policy: inout ThrottlePolicy) throws(Failure) {
        for child in element.childElements {
            if child.localName == "MaximumConcurrentAccess" {
                let text = child.textContent.trimmingSpaces()
                guard let limit = Int(text), limit >= 0 else {
                    throw Failure(message: "MaximumConcurrentAccess must be a non-negative integer, not '\(text)'")
                }
                policy.maximumConcurrentAccess = limit
            } else if let id = child.childElements.first(where: { $0.localName == "ID" }) {
                policy.callers.append(try caller(id: id, group: child))
            } else {
                try collect(child, into: &policy)
            }
        }
    }

    private static func caller(id: XMLElementNode, group: XMLElementNode) throws(Failure) -> Caller {
        let typeName = id.attributes.first { $0.localName == "type" }?.value ?? "IP"
        guard let type = IDType(rawValue: typeName.uppercased()) else {
            throw Failure(message: "throttle ID type '\(typeName)' is not supported by the throttle mediator: only IP and DOMAIN")
        }
        let name = id.textContent.trimmingSpaces()
        guard !name.isEmpty else { throw Failure(message: "a <throttle:ID> is empty") }
        var settings: [String: String] = [:]
        gather(group, skipping: id, into: &settings)
        func number(_ key: String) throws(Failure) -> Int64? {
            // An empty element (`<throttle:ProhibitTimePeriod wsp:Optional="true"/>`) sets nothing, as in WSO2's reader.
            guard let text = settings[key], !text.isEmpty else { return nil }
            guard let value = Int64(text), value >= 0 else {
                throw Failure(message: "\(key) of caller '\(name)' must be a non-negative integer, not '\(text)'")
            }
            return value
        }
        let access: Access
        if let maximum = try number("MaximumCount") {
            guard let unit = try number("UnitTime"), unit > 0 else {
                throw Failure(message: "caller '\(name)' has a MaximumCount without a positive UnitTime")
            }
            access = .control(maximumCount: maximum, unitTimeMillis: unit, prohibitMillis: try number("ProhibitTimePeriod"))
        } else if settings["Deny"] != nil || settings["IsAllowed"]?.lowercased() == "false" {
            access = .deny
        } else if settings["Allow"] != nil || settings["IsAllowed"]?.lowercased() == "true" {
            access = .allow
        } else {
            throw Failure(message: "caller '\(name)' has no MaximumCount, IsAllowed, Allow or Deny")
        }
        return Caller(type: type, id: name, access: access)
    }

    /// The leaf settings below a caller group (control values, IsAllowed, Allow, Deny).
    private static func gather(_ element: XMLElementNode, skipping id: XMLElementNode, into settings: inout [String: String]) {
        for child in element.childElements where child.localName != "ID" {
            switch child.localName {
            case "MaximumCount", "UnitTime", "ProhibitTimePeriod", "IsAllowed", "Allow", "Deny":
                settings[child.localName] = settings[child.localName] ?? child.textContent.trimmingSpaces()
            default:
                gather(child, skipping: id, into: &settings)
            }
        }
    }
}
