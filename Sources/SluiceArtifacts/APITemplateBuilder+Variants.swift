import SluiceMediation
public import SluiceModel

extension APITemplateBuilder {
    /// The fault code a blocked API answers with.
    public static let blockedFaultCode = 700_700
    /// How long the default-version artifact waits for the versioned one, in milliseconds
    /// (`default_api_template.xml`).
    public static let defaultVersionForwardTimeout: Int64 = 60_000
    /// The header that marks a request the default-version artifact already forwarded once.
    public static let defaultVersionHeader = "WSO2_AM_API_DEFAULT_VERSION"

    /// The artifact of a blocked API: the same name, context and version, one resource `/*` for every method
    /// that answers HTTP 503 with fault 700700 "API blocked" and never reaches the backend.
    ///
    /// As in WSO2, only the CORS handler stays (so browsers can read the fault); the request is refused before
    /// any key is checked.
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    public func blockedAPI(for definition: APIDefinition) throws(APIValidationError) -> SynapseAPI {
        try definition.validate(forDeployment: true)
        let body =
            #"{"fault":{"code":\#(Self.blockedFaultCode),"message":"API blocked","#
            + #""description":"This API has been blocked temporarily. "#
            + #"Please try again later or contact the system administrators."}}"#
        let refusal = APIResource(
            dispatcher: .urlMapping(.prefix("")),
            inSequence: .inline(Self.fault(status: 503, jsonBody: body)),
            faultSequence: .key(Self.faultSequenceKey)
        )
        return SynapseAPI(
            name: apiName(for: definition),
            context: versionedContext(for: definition),
            version: definition.version,
            versionType: .context,
            transports: transports(for: definition),
            resources: [refusal],
            handlers: corsHandler(for: definition, implementationType: "INLINE").map { [$0] } ?? []
        )
    }

    /// The default-version artifact: the unversioned context (`/pizzashack`) forwarding every request to the
    /// versioned one (`/pizzashack/1.0.0`) through the gateway itself, as WSO2's `default_api_template.xml` does.
    ///
    /// The forwarded request carries `WSO2_AM_API_DEFAULT_VERSION: true`; a request that arrives with it is
    /// answered with a 500 fault instead of being forwarded again, so a misconfigured context cannot loop.
    /// Authentication, throttling and statistics happen once, in the versioned artifact.
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    public func defaultVersionAPI(for definition: APIDefinition) throws(APIValidationError) -> SynapseAPI {
        try definition.validate(forDeployment: true)
        let name = apiName(for: definition)
        let gateway = settings.gatewayURL.hasSuffix("/") ? String(settings.gatewayURL.dropLast()) : settings.gatewayURL
        let forward = EndpointDefinition(
            name: "\(name)_APIDefaultVersionEndpoint",
            kind: .address(
                AddressEndpoint(
                    uri: gateway + versionedContext(for: definition),
                    qos: EndpointPair.qos(nil, defaultTimeout: Self.defaultVersionForwardTimeout)
                )
            )
        )
        let loopBody =
            #"{"fault":{"code":500,"type":"Status report","message":"Internal Server Error","#
            + #""description":"Faulty invoking through default API"}}"#
        let inSequence: [MediatorNode] = [
            .filter(
                FilterMediator(
                    condition: .sourceMatches(
                        source: Self.expression("$trp:\(Self.defaultVersionHeader)"),
                        regex: "true"
                    ),
                    then: Self.fault(status: 500, jsonBody: loopBody),
                    otherwise: [
                        .header(
                            HeaderMediator(name: Self.defaultVersionHeader, value: .literal("true"), scope: .transport)
                        ),
                        .send(SendMediator(endpoint: forward)),
                    ]
                )
            )
        ]
        let forwarder = APIResource(
            dispatcher: .urlMapping(.prefix("")),
            inSequence: .inline(inSequence),
            outSequence: .inline([.send(SendMediator())]),
            faultSequence: .key(Self.faultSequenceKey)
        )
        return SynapseAPI(
            name: name,
            context: unversionedContext(for: definition),
            transports: transports(for: definition),
            resources: [forwarder],
            handlers: corsHandler(for: definition, implementationType: "ENDPOINT").map { [$0] } ?? []
        )
    }

    /// Mediators that answer the client at once with `status` and a JSON fault body.
    private static func fault(status: Int, jsonBody: String) -> [MediatorNode] {
        [
            .property(PropertyMediator(name: "HTTP_SC", value: .literal(String(status)), scope: .axis2)),
            .payloadFactory(PayloadFactoryMediator(mediaType: .json, format: jsonBody)),
            .respond,
        ]
    }
}
