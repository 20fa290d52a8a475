public import SluiceModel
import SluiceMediation
import SluiceXML

/// Reads WSO2's legacy tier files (`tiers.xml`, `app-tiers.xml`, `res-tiers.xml`) in the WS-Policy format:
///
/// ```xml
/// <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
///             xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
///   <throttle:MediatorThrottleAssertion>
///     <wsp:Policy>
///       <throttle:ID throttle:type="ROLE">Gold</throttle:ID>
///       <wsp:Policy><throttle:Control><wsp:Policy>
///         <throttle:MaximumCount>20</throttle:MaximumCount><throttle:UnitTime>60000</throttle:UnitTime>
///         <wsp:Policy><throttle:Attributes>
///           <throttle:x-wso2-BillingPlan>FREE</throttle:x-wso2-BillingPlan>
///         </throttle:Attributes></wsp:Policy>
///       </wsp:Policy></throttle:Control></wsp:Policy>
///     </wsp:Policy>
///   </throttle:MediatorThrottleAssertion>
/// </wsp:Policy>
/// ```
public enum TierConfigReader {
    /// WS-Policy's namespace.
    public static let policyNamespace = "http://schemas.xmlsoap.org/ws/2004/09/policy"
    /// WSO2's throttle namespace.
    public static let throttleNamespace = "http://www.wso2.org/products/wso2commons/throttle"

    /// Reads one tier file; a missing file gives `TierSet.wso2Defaults(level)`.
    /// - Throws: `SynapseDiagnostics` for malformed XML, a tier without a name or count, or a repeated name.
    public static func read(path: String, level: TierLevel) throws(SynapseDiagnostics) -> TierSet {
        guard let file = try ConfigFile.load(path: path) else { return TierSet.wso2Defaults(level) }
        file.expectRoot("Policy", namespace: policyNamespace)
        var tiers: [ThrottleTier] = []
        let assertions = file.root.childElements.filter { isThrottle($0, "MediatorThrottleAssertion") }
        if assertions.isEmpty {
            file.reader.report("missing <throttle:MediatorThrottleAssertion>", at: file.root)
        }
        for assertion in assertions {
            for policy in assertion.childElements where policy.localName == "Policy" {
                guard let tier = readTier(policy, file: file) else { continue }
                if let earlier = tiers.first(where: { $0.name == tier.name }) {
                    file.reader.report("tier '\(earlier.name)' is declared twice", at: policy)
                    continue
                }
                tiers.append(tier)
            }
        }
        try file.finish()
        return TierSet(level: level, tiers: tiers)
    }

    /// Reads the three tier files of `repository/conf/`, each falling back to WSO2's defaults when absent.
    /// - Throws: `SynapseDiagnostics` holding the problems of every file.
    public static func readAll(confDirectory: String) throws(SynapseDiagnostics) -> [TierLevel: TierSet] {
        var sets: [TierLevel: TierSet] = [:]
        var problems: [SynapseDiagnostic] = []
        let folder = confDirectory.hasSuffix("/") ? String(confDirectory.dropLast()) : confDirectory
        for level in TierLevel.allCases {
            do {
                sets[level] = try read(path: folder + "/" + level.fileName, level: level)
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw SynapseDiagnostics(problems) }
        return sets
    }

    // MARK: - One tier

    private static func readTier(_ policy: XMLElementNode, file: ConfigFile) -> ThrottleTier? {
        guard let idElement = firstDescendant(of: policy, named: "ID") else {
            file.reader.report("tier policy without <throttle:ID>", at: policy)
            return nil
        }
        let name = idElement.textContent.trimmingSpaces()
        guard !name.isEmpty else {
            file.reader.report("<throttle:ID> must name the tier", at: idElement)
            return nil
        }
        let countElement = firstDescendant(of: policy, named: "MaximumCount")
        let unitElement = firstDescendant(of: policy, named: "UnitTime")
        var attributes: [String: String] = [:]
        if let attributeList = firstDescendant(of: policy, named: "Attributes") {
            for attribute in attributeList.childElements {
                attributes[attribute.localName] = attribute.textContent.trimmingSpaces()
            }
        }

        guard let countElement else {
            if name == ThrottleTier.unlimited.name { return .unlimited }
            file.reader.report("tier '\(name)' has no <throttle:MaximumCount>", at: policy)
            return nil
        }
        guard
            let maxCount: Int64 = file.reader.integer(countElement.textContent, named: "MaximumCount", in: countElement)
        else { return nil }
        var unitTime: Int64 = 60_000
        if let unitElement {
            guard let value: Int64 = file.reader.integer(unitElement.textContent, named: "UnitTime", in: unitElement)
            else { return nil }
            guard value > 0 else {
                file.reader.report("<throttle:UnitTime> of tier '\(name)' must be positive", at: unitElement)
                return nil
            }
            unitTime = value
        }
        var stopOnQuotaReach = true
        if let raw = attributes.removeValue(forKey: "x-wso2-StopOnQuotaReach") {
            stopOnQuotaReach = raw.lowercased() != "false"
        }
        let billingPlan = attributes.removeValue(forKey: "x-wso2-BillingPlan")
        let description =
            attributes.removeValue(forKey: "x-wso2-Description")
            ?? defaultDescription(count: maxCount, unitTime: unitTime)
        return ThrottleTier(
            name: name,
            maxCount: maxCount,
            unitTime: unitTime,
            billingPlan: billingPlan,
            stopOnQuotaReach: stopOnQuotaReach,
            description: description,
            attributes: attributes
        )
    }

    // The same wording WSO2 shows for its default tiers ("Allows 20 requests per minute").
    private static func defaultDescription(count: Int64, unitTime: Int64) -> String {
        let unit: String =
            switch unitTime {
            case 1000: "second"
            case 60_000: "minute"
            case 3_600_000: "hour"
            case 86_400_000: "day"
            default: "\(unitTime) ms"
            }
        return "Allows \(count) request\(count == 1 ? "" : "s") per \(unit)"
    }

    private static func isThrottle(_ element: XMLElementNode, _ name: String) -> Bool {
        element.localName == name && element.namespaceURI == throttleNamespace
    }

    private static func firstDescendant(of element: XMLElementNode, named name: String) -> XMLElementNode? {
        for child in element.childElements {
            if isThrottle(child, name) { return child }
            // A nested tier policy would be a different tier; only wsp:Policy and throttle:Control are descended.
            if child.localName == "Policy" || child.localName == "Control",
                let found = firstDescendant(of: child, named: name)
            {
                return found
            }
        }
        return nil
    }
}
