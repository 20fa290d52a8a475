import Foundation
import SluiceArtifacts

/// An operation policy's specification (WSO2's `operation_policy_specification` file, the `data` of it): what the
/// policy is, where it may run, and the attributes it takes.
package struct OperationPolicySpec: Sendable, Hashable, Codable {
    /// One attribute (WSO2's `OperationPolicySpecAttribute`).
    package struct Attribute: Sendable, Hashable, Codable {
        package var name: String
        package var displayName: String?
        package var description: String?
        /// A regular expression a value must match, with or without JavaScript's `/.../flags` delimiters.
        package var validationRegex: String?
        /// `String`, `Integer`, `Boolean`, `Enum` (WSO2's; others are taken as text).
        package var type: String?
        package var required: Bool?
        package var defaultValue: String?
        package var allowedValues: [String]?

        private enum CodingKeys: String, CodingKey {
            case name, displayName, description, validationRegex, type, required, defaultValue, allowedValues
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            validationRegex = try container.decodeIfPresent(String.self, forKey: .validationRegex)
            type = try container.decodeIfPresent(String.self, forKey: .type)
            required = try container.decodeIfPresent(Bool.self, forKey: .required)
            // WSO2's own example writes a boolean here.
            if let flag = try? container.decodeIfPresent(Bool.self, forKey: .defaultValue) {
                defaultValue = flag ? "true" : "false"
            } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .defaultValue) {
                defaultValue = String(number)
            } else {
                defaultValue = try container.decodeIfPresent(String.self, forKey: .defaultValue)
            }
            allowedValues = try container.decodeIfPresent([String].self, forKey: .allowedValues)
        }

        package init(name: String, displayName: String, description: String, type: String = "String", required: Bool,
                     allowedValues: [String]? = nil, validationRegex: String? = nil) {
            self.name = name
            self.displayName = displayName
            self.description = description
            self.type = type
            self.required = required
            self.allowedValues = allowedValues
            self.validationRegex = validationRegex
        }
    }

    package var category: String?
    package var name: String
    package var version: String
    package var displayName: String?
    package var description: String?
    /// `request`, `response`, `fault`.
    package var applicableFlows: [String]
    /// `Synapse` (and WSO2's `ChoreoConnect`, which Sluice does not run).
    package var supportedGateways: [String]
    /// `HTTP`, `SOAP`...; WSO2 also writes `{apiType: HTTP, subType: AI}`, read as the `apiType`.
    package var supportedApiTypes: [String]
    package var policyAttributes: [Attribute]

    private enum CodingKeys: String, CodingKey {
        case category, name, version, displayName, description, applicableFlows, supportedGateways, supportedApiTypes,
            policyAttributes
    }

    /// An API type written as a string or as WSO2's `{apiType, subType}` object.
    private struct APIType: Decodable {
        var name: String
        private enum CodingKeys: String, CodingKey { case apiType }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
            } else {
                name = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .apiType)
            }
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? "v1"
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        applicableFlows = try container.decodeIfPresent([String].self, forKey: .applicableFlows) ?? []
        supportedGateways = try container.decodeIfPresent([String].self, forKey: .supportedGateways) ?? ["Synapse"]
        supportedApiTypes = try container.decodeIfPresent([APIType].self, forKey: .supportedApiTypes)?.map(\.name) ?? ["HTTP"]
        policyAttributes = try container.decodeIfPresent([Attribute].self, forKey: .policyAttributes) ?? []
    }

    package init(
        name: String, displayName: String, description: String, category: String = "Mediation",
        applicableFlows: [String], attributes: [Attribute]
    ) {
        self.category = category
        self.name = name
        self.version = "v1"
        self.displayName = displayName
        self.description = description
        self.applicableFlows = applicableFlows
        self.supportedGateways = ["Synapse"]
        self.supportedApiTypes = ["HTTP"]
        self.policyAttributes = attributes
    }

    /// Reads a specification file: JSON or YAML, WSO2's `{type: operation_policy_specification, data: {...}}` or
    /// the `data` alone.
    /// - Throws: ``ManagementError`` 400 naming the problem.
    package static func read(_ bytes: [UInt8], file: String) throws -> OperationPolicySpec {
        var json = bytes
        if YAMLReader.looksLikeYAML(bytes, path: file) {
            do { json = try YAMLReader.json(fromYAML: bytes) } catch {
                throw ManagementError.badRequest("\(file): \(error)")
            }
        }
        let object = try? JSONSerialization.jsonObject(with: Data(json))
        guard var fields = object as? [String: Any] else {
            throw ManagementError.badRequest("\(file): the policy specification is not an object")
        }
        if let data = fields["data"] as? [String: Any] { fields = data }
        do {
            let spec = try JSONDecoder().decode(
                OperationPolicySpec.self, from: try JSONSerialization.data(withJSONObject: fields)
            )
            try spec.check()
            return spec
        } catch let error as ManagementError {
            throw error
        } catch {
            throw ManagementError.badRequest("\(file): the policy specification cannot be read: \(error)")
        }
    }

    /// Refuses a specification Sluice cannot run.
    func check() throws(ManagementError) {
        var problems: [String] = []
        let validName = { (text: String) in
            !text.isEmpty && text.count <= 255 && text.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
        }
        if !validName(name) { problems.append("name: letters, digits, '_', '-' and '.' (1 to 255)") }
        if !validName(version) { problems.append("version: letters, digits, '_', '-' and '.' (1 to 255)") }
        let flows = Set(APIOperationPolicies.Flow.allCases.map(\.rawValue))
        if applicableFlows.isEmpty { problems.append("applicableFlows: at least one of request, response, fault") }
        for flow in applicableFlows where !flows.contains(flow) {
            problems.append("applicableFlows: '\(flow)' is not request, response or fault")
        }
        if !supportedGateways.contains("Synapse") {
            problems.append("supportedGateways: the policy must support Synapse (Sluice runs Synapse mediation)")
        }
        var seen: Set<String> = []
        for attribute in policyAttributes {
            if !seen.insert(attribute.name).inserted { problems.append("policyAttributes: '\(attribute.name)' twice") }
            if let pattern = attribute.validationRegex, Self.regex(pattern) == nil {
                problems.append("policyAttributes.\(attribute.name).validationRegex: not a regular expression")
            }
        }
        guard problems.isEmpty else { throw ManagementError.badRequest(problems.joined(separator: "; ")) }
    }

    /// The values of the attributes for `parameters`: defaults filled in, every value checked.
    /// - Throws: ``ManagementError`` 400 naming the attribute.
    package func values(for parameters: [String: String], field: String) throws(ManagementError) -> [String: String] {
        var problems: [String] = []
        let known = Set(policyAttributes.map(\.name))
        for name in parameters.keys.sorted() where !known.contains(name) {
            problems.append("\(field).parameters.\(name): the policy \(self.name) has no such attribute")
        }
        var values: [String: String] = [:]
        for attribute in policyAttributes {
            guard let value = parameters[attribute.name] ?? attribute.defaultValue else {
                if attribute.required == true {
                    problems.append("\(field).parameters.\(attribute.name): required by the policy \(name)")
                }
                continue
            }
            if let problem = attribute.problem(with: value) {
                problems.append("\(field).parameters.\(attribute.name): \(problem)")
            }
            values[attribute.name] = value
        }
        guard problems.isEmpty else { throw ManagementError.badRequest(problems.joined(separator: "; ")) }
        return values
    }

    /// A regular expression from WSO2's `validationRegex` (JavaScript's `/pattern/flags` or a bare pattern).
    static func regex(_ pattern: String) -> NSRegularExpression? {
        var body = pattern
        var options: NSRegularExpression.Options = []
        if pattern.hasPrefix("/"), let end = pattern.lastIndex(of: "/"), end != pattern.startIndex {
            body = String(pattern[pattern.index(after: pattern.startIndex)..<end])
            if pattern[end...].contains("i") { options.insert(.caseInsensitive) }
        }
        return try? NSRegularExpression(pattern: body, options: options)
    }
}

extension OperationPolicySpec.Attribute {
    /// What is wrong with `value` for this attribute, if anything.
    func problem(with value: String) -> String? {
        switch type?.lowercased() {
        case "integer" where Int64(value) == nil: return "'\(value)' is not an integer"
        case "boolean" where value != "true" && value != "false": return "'\(value)' is not true or false"
        case "enum" where !(allowedValues ?? []).isEmpty && !(allowedValues ?? []).contains(value):
            return "'\(value)' is not one of \((allowedValues ?? []).joined(separator: ", "))"
        default: break
        }
        if let pattern = validationRegex, let regex = OperationPolicySpec.regex(pattern) {
            let range = NSRange(value.startIndex..., in: value)
            if regex.firstMatch(in: value, range: range) == nil { return "'\(value)' does not match \(pattern)" }
        }
        return nil
    }
}
