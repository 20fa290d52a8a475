import SluiceModel
internal import SluiceXML

/// The inline WS-Policy of a `<throttle>` mediator (WSO2's throttle assertion): for each caller (`ID` of type `IP`
/// or `DOMAIN`, `other` for everyone else), at most `MaximumCount` requests per `UnitTime` milliseconds with an
/// optional `ProhibitTimePeriod`, or always allowed / always denied (`IsAllowed`, `Allow`, `Deny`).
public struct ThrottlePolicy: Sendable, Hashable {
    public var callers: [Caller]

    public init(callers: [Caller]) {
        self.callers = callers
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
        var callers: [Caller] = []
        try collect(root, into: &callers)
        guard !callers.isEmpty else {
            throw Failure(message: "the throttle policy names no caller (<throttle:ID>)")
        }
        return ThrottlePolicy(callers: callers)
    }

    /// Finds every element holding an `ID` (a caller group) below `element`.
    private static func collect(_ element: XMLElementNode, into callers: inout [Caller]) throws(Failure) {
        for child in element.childElements {
            if child.localName == "MaximumConcurrentAccess" {
                throw Failure(
                    message: "MaximumConcurrentAccess is not supported: the throttle mediator counts requests per unit of time"
                )
            }
            if let id = child.childElements.first(where: { $0.localName == "ID" }) {
                callers.append(try caller(id: id, group: child))
            } else {
                try collect(child, into: &callers)
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
            guard let text = settings[key] else { return nil }
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
