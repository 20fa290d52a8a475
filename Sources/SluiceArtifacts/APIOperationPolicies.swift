/// The policies attached to one operation (`operations[].operationPolicies` of WSO2's v4 `APIDTO`): Synapse
/// mediation that runs before the backend call (`request`), on the backend's answer (`response`) and when the
/// resource faults (`fault`), each list in order.
///
/// ```json
/// {"request": [{"policyName": "addHeader", "policyVersion": "v1", "parameters": {"headerName": "X-Tenant", "headerValue": "a"}}]}
/// ```
public struct APIOperationPolicies: Sendable, Hashable, Codable {
    public var request: [APIOperationPolicy]
    public var response: [APIOperationPolicy]
    public var fault: [APIOperationPolicy]

    /// Creates the policies of an operation.
    public init(request: [APIOperationPolicy] = [], response: [APIOperationPolicy] = [], fault: [APIOperationPolicy] = []) {
        self.request = request
        self.response = response
        self.fault = fault
    }

    private enum CodingKeys: String, CodingKey {
        case request, response, fault
    }

    /// Decodes the policies; an absent flow has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            request: try container.decodeIfPresent([APIOperationPolicy].self, forKey: .request) ?? [],
            response: try container.decodeIfPresent([APIOperationPolicy].self, forKey: .response) ?? [],
            fault: try container.decodeIfPresent([APIOperationPolicy].self, forKey: .fault) ?? []
        )
    }

    /// Whether no flow has a policy.
    public var isEmpty: Bool { request.isEmpty && response.isEmpty && fault.isEmpty }

    /// The flows with their policies, in WSO2's order.
    public var flows: [(flow: Flow, policies: [APIOperationPolicy])] {
        [(.request, request), (.response, response), (.fault, fault)]
    }

    /// Where a policy runs.
    public enum Flow: String, Sendable, CaseIterable {
        case request, response, fault
    }

    /// The policies of a flow.
    public subscript(flow: Flow) -> [APIOperationPolicy] {
        get {
            switch flow {
            case .request: request
            case .response: response
            case .fault: fault
            }
        }
        set {
            switch flow {
            case .request: request = newValue
            case .response: response = newValue
            case .fault: fault = newValue
            }
        }
    }
}

/// One policy attached to an operation (WSO2's `OperationPolicy`): which policy, and the values of its attributes.
public struct APIOperationPolicy: Sendable, Hashable, Codable {
    /// The policy's name (`addHeader`).
    public var policyName: String
    /// The policy's version (`v1`, WSO2's default).
    public var policyVersion: String
    /// WSO2's `api` or `common`; informative (the policy is looked up by id, else by name and version).
    public var policyType: String?
    /// The policy's id, when the client names it.
    public var policyId: String?
    /// The attribute values, as text (numbers and booleans are written as JSON writes them).
    public var parameters: [String: String]
    /// Sluice's: the Synapse mediators the policy renders to with these parameters (a `<sequence>` document), set
    /// by the publisher when the API is stored (whatever a client sends is replaced); the gateway artifact
    /// carries them. Nil until then.
    public var mediation: String?

    /// Creates a reference to a policy.
    public init(
        policyName: String,
        policyVersion: String = "v1",
        policyType: String? = nil,
        policyId: String? = nil,
        parameters: [String: String] = [:],
        mediation: String? = nil
    ) {
        self.policyName = policyName
        self.policyVersion = policyVersion
        self.policyType = policyType
        self.policyId = policyId
        self.parameters = parameters
        self.mediation = mediation
    }

    private enum CodingKeys: String, CodingKey {
        case policyName, policyVersion, policyType, policyId, parameters, mediation
    }

    /// Decodes a reference; the version defaults to `v1`, parameter values may be strings, numbers or booleans.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let values = try container.decodeIfPresent([String: ParameterValue].self, forKey: .parameters) ?? [:]
        self.init(
            policyName: try container.decode(String.self, forKey: .policyName),
            policyVersion: try container.decodeIfPresent(String.self, forKey: .policyVersion) ?? "v1",
            policyType: try container.decodeIfPresent(String.self, forKey: .policyType),
            policyId: try container.decodeIfPresent(String.self, forKey: .policyId),
            parameters: values.mapValues(\.text),
            mediation: try container.decodeIfPresent(String.self, forKey: .mediation)
        )
    }

    /// A parameter value as WSO2 clients send it: a string, a number or a boolean.
    private struct ParameterValue: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else if let flag = try? container.decode(Bool.self) {
                text = flag ? "true" : "false"
            } else if let integer = try? container.decode(Int64.self) {
                text = String(integer)
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                throw DecodingError.typeMismatch(
                    String.self,
                    .init(codingPath: decoder.codingPath, debugDescription: "a parameter is a string, a number or a boolean")
                )
            }
        }
    }
}
