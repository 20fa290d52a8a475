import SluiceModel

/// Every mediator Sluice implements, listed once: the element names the artifact reader knows come from here. A
/// Synapse mediator Sluice does not implement is named in `refused` with the reason, so an artifact using it fails
/// to deploy with that reason rather than as an unknown element.
package enum MediatorCatalog {
    /// The implemented mediators.
    static let mediators: [any SynapseMediator.Type] = [
        SendMediator.self, CallMediator.self, LoopbackMediator.self, RespondMediator.self, DropMediator.self,
        PropertyMediator.self, HeaderMediator.self, LogMediator.self, FilterMediator.self,
        PayloadFactoryMediator.self, SequenceMediator.self, EnrichMediator.self, ClassMediator.self,
        InMediator.self, OutMediator.self, SwitchMediator.self, MakeFaultMediator.self, CallTemplateMediator.self,
        ValidateMediator.self, CacheMediator.self,
        XSLTMediator.self, FastXSLTMediator.self, ScriptMediator.self,
        ForEachMediator.self, CalloutMediator.self, IterateMediator.self, CloneMediator.self, AggregateMediator.self,
        PropertyGroupMediator.self, ThrottleMediator.self, ConditionalRouterMediator.self, RewriteMediator.self,
        DBLookupMediator.self, DBReportMediator.self, TransactionMediator.self,
        VariableMediator.self, ScatterGatherMediator.self, BuilderMediator.self,
    ]

    /// Synapse and WSO2 mediators Sluice refuses, with the reason given to the user.
    static let refused: [String: String] = {
        return [
            "datamapper": "WSO2 Micro Integrator's data mapper is out of scope for Sluice; map the message with "
                + "payloadFactory, enrich or a class mediator",
            "xquery": "XQuery is not supported; use payloadFactory or enrich",
            "router": "the router mediator of Synapse 1.x was removed in Synapse 2.0 and WSO2 does not read it either; "
                + "route with <conditionalRouter>, <filter> or <switch>",
            "store": "message stores are out of scope for Sluice",
            "enqueue": "priority executors are out of scope for Sluice",
            "event": "event sources are out of scope for Sluice",
            "smooks": "Smooks transformations are not supported",
            "rule": "WSO2's rule mediator runs a Drools rule engine (Java), which Sluice has no part of; route with "
                + "<filter>, <switch> or <conditionalRouter>",
            "eventPublisher": "it publishes to a WS-Eventing event source (<eventSource>), and event sources are out "
                + "of scope for Sluice",
            "RMSequence": "WS-ReliableMessaging sequences are not supported: Sluice sends no WS-RM headers",
            "dataServiceCall": "WSO2 Micro Integrator's data services are out of scope for Sluice; call the data "
                + "service over HTTP with <call> and an endpoint",
            "bean": "Java bean mediators are not supported; use a class mediator registered with Sluice",
            "pojoCommand": "Java command mediators are not supported; use a class mediator registered with Sluice",
            "ejb": "EJB calls are not supported",
            "spring": "Spring mediators are not supported; use a class mediator registered with Sluice",
            "entitlementService": "WSO2 Identity Server mediators are not supported",
            "oauthService": "WSO2 Identity Server mediators are not supported; Sluice's gateway validates tokens",
            "jsontransform": "jsontransform is not implemented yet; set messageType with <property>",
            "publishEvent": "analytics event publishing from a sequence is not supported",
        ]
    }()

    private static let byElementName: [String: any SynapseMediator.Type] = Dictionary(
        mediators.map { ($0.elementName, $0) },
        uniquingKeysWith: { first, _ in first }
    )

    /// The mediator type reading `elementName`, or nil.
    static func type(named elementName: String) -> (any SynapseMediator.Type)? {
        byElementName[elementName]
    }

    /// The namespace of WSO2's `<rule>` mediator (not Synapse's own).
    static let rulesNamespace = "http://wso2.org/carbon/rules"

    /// Why the Synapse mediator `elementName` is refused, or nil when it is not a refused one.
    static func refusal(for elementName: String) -> String? {
        refused[elementName]
    }

    /// Every element name with a reader, sorted.
    package static var elementNames: [String] { byElementName.keys.sorted() }

    /// The node's configuration as the `SynapseMediator` it is. Configurations enter nodes only as mediator types
    /// of this module (every `MediatorConfiguration` Sluice defines is a `SynapseMediator`), so a node holding
    /// anything else is a programming error.
    static func synapseMediator(_ node: MediatorNode) -> any SynapseMediator {
        guard let mediator = node.configuration as? any SynapseMediator else {
            preconditionFailure("\(Swift.type(of: node.configuration)) is a MediatorConfiguration but not a SynapseMediator")
        }
        return mediator
    }
}
