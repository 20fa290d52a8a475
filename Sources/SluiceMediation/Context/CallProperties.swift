public import SluiceModel

/// The properties WSO2's authentication handler records for a call (`api.ut.*` and `AM_KEY_TYPE`, see
/// `APIManagerProperty`), kept as one value and derived when read.
///
/// Every authenticated request records a dozen of them and most are never read (the throttle reads five, usage
/// eight), so recording them is one assignment instead of a dozen dictionary inserts. As with
/// `DispatchProperties`, a property a mediator sets or removes is kept in the context's dictionaries, which take
/// precedence.
public struct CallProperties: Sendable {
    /// The API and resource the call was dispatched to (`api.ut.context`, `api_version`, `api`, `version`,
    /// `resource`, `apiPublisher`).
    public var resource: DispatchedResource
    /// `api.ut.HTTP_METHOD`.
    public var method: String
    /// `api.ut.hostName`: the request's `Host` header when it was authenticated.
    public var hostName: String?
    /// `api.ut.userAgent`.
    public var userAgent: String?
    /// `api.ut.clientIp` (nil when the gateway knows no address).
    public var clientIP: String?
    /// Who calls, once known.
    public var caller: Caller?

    /// The caller's properties.
    public struct Caller: Sendable {
        /// `AM_KEY_TYPE`.
        public var keyType: String
        /// `api.ut.consumerKey`.
        public var consumerKey: String?
        /// `api.ut.userId` and `api.ut.userName`.
        public var user: String?
        /// `api.ut.application.id`.
        public var applicationID: String?
        /// `api.ut.application.name`.
        public var applicationName: String?
        /// `api.ut.application.owner`.
        public var applicationOwner: String?
        /// `api.ut.tier`: the subscription's tier.
        public var subscriptionTier: String?
        /// `api.ut.application.tier`.
        public var applicationTier: String?

        /// Creates a caller.
        public init(
            keyType: String,
            consumerKey: String? = nil,
            user: String? = nil,
            applicationID: String? = nil,
            applicationName: String? = nil,
            applicationOwner: String? = nil,
            subscriptionTier: String? = nil,
            applicationTier: String? = nil
        ) {
            self.keyType = keyType
            self.consumerKey = consumerKey
            self.user = user
            self.applicationID = applicationID
            self.applicationName = applicationName
            self.applicationOwner = applicationOwner
            self.subscriptionTier = subscriptionTier
            self.applicationTier = applicationTier
        }

        /// The caller a key manager's answer names (PRODUCTION when it names no key type).
        public init(_ result: KeyValidationResult) {
            self.init(
                keyType: (result.keyType ?? .production).rawValue,
                consumerKey: result.consumerKey,
                user: result.endUser,
                applicationID: result.applicationID,
                applicationName: result.applicationName,
                applicationOwner: result.subscriber,
                subscriptionTier: result.subscriptionTier,
                applicationTier: result.applicationTier
            )
        }
    }

    /// Creates the properties of a call.
    public init(
        resource: DispatchedResource,
        method: String,
        hostName: String?,
        userAgent: String?,
        clientIP: String?,
        caller: Caller? = nil
    ) {
        self.resource = resource
        self.method = method
        self.hostName = hostName
        self.userAgent = userAgent
        self.clientIP = clientIP
        self.caller = caller
    }

    /// What a context holds until the authentication handler records a call (never read as such).
    static let unrecorded = CallProperties(
        resource: DispatchedResource(apiName: "", context: "", version: "", resourceTemplate: ""),
        method: "",
        hostName: nil,
        userAgent: nil,
        clientIP: nil
    )

    /// The value of a derived property, or nil when `name` is not one (or has no value).
    func value(named name: String) -> PropertyValue? {
        Field(named: name).flatMap { text($0) }.map(PropertyValue.string)
    }

    /// The text of one of the call's properties, or nil when it has none.
    public func text(_ field: Field) -> String? {
        switch field {
        case .api: resource.apiName
        case .keyType: caller?.keyType
        case .subscriptionTier: caller?.subscriptionTier
        case .userID, .endUserName: caller?.user
        case .context: resource.context
        case .version: resource.version
        case .resource: resource.resourceTemplate
        case .hostName: hostName
        case .clientIP: clientIP
        case .userAgent: userAgent
        case .apiVersion: resource.apiVersionLabel
        case .httpMethod: method
        case .consumerKey: caller?.consumerKey
        case .apiPublisher: resource.apiProvider
        case .applicationID: caller?.applicationID
        case .applicationName: caller?.applicationName
        case .applicationTier: caller?.applicationTier
        case .applicationOwner: caller?.applicationOwner
        }
    }

    /// The properties a call derives, one case per name (`api.ut.userId` and `api.ut.userName` both give the user).
    public enum Field: Sendable, CaseIterable {
        case api, keyType, subscriptionTier, userID, context, version, resource, hostName, clientIP, endUserName
        case userAgent, apiVersion, httpMethod, consumerKey, apiPublisher, applicationID, applicationName
        case applicationTier, applicationOwner

        /// The property's name (`APIManagerProperty`).
        public var propertyName: String {
            switch self {
            case .api: APIManagerProperty.api
            case .keyType: APIManagerProperty.keyType
            case .subscriptionTier: APIManagerProperty.subscriptionTier
            case .userID: APIManagerProperty.userID
            case .context: APIManagerProperty.context
            case .version: APIManagerProperty.version
            case .resource: APIManagerProperty.resource
            case .hostName: APIManagerProperty.hostName
            case .clientIP: APIManagerProperty.clientIP
            case .endUserName: APIManagerProperty.endUserName
            case .userAgent: APIManagerProperty.userAgent
            case .apiVersion: APIManagerProperty.apiVersion
            case .httpMethod: APIManagerProperty.httpMethod
            case .consumerKey: APIManagerProperty.consumerKey
            case .apiPublisher: APIManagerProperty.apiPublisher
            case .applicationID: APIManagerProperty.applicationID
            case .applicationName: APIManagerProperty.applicationName
            case .applicationTier: APIManagerProperty.applicationTier
            case .applicationOwner: APIManagerProperty.applicationOwner
            }
        }

        /// The field of property `name`, or nil when a call derives no property of that name. Every property read
        /// of the default scope that the context's dictionary misses comes here, so the name is told by its length
        /// first: at most four comparisons, most of them of small (inline) strings.
        init?(named name: String) {
            let field: Field? =
                switch name.utf8.count {
                case 10: name == APIManagerProperty.api ? .api : nil
                case 11:
                    name == APIManagerProperty.keyType
                        ? .keyType : name == APIManagerProperty.subscriptionTier ? .subscriptionTier : nil
                case 13: name == APIManagerProperty.userID ? .userID : nil
                case 14:
                    name == APIManagerProperty.context ? .context : name == APIManagerProperty.version ? .version : nil
                case 15:
                    if name == APIManagerProperty.resource {
                        .resource
                    } else if name == APIManagerProperty.hostName {
                        .hostName
                    } else if name == APIManagerProperty.clientIP {
                        .clientIP
                    } else {
                        name == APIManagerProperty.endUserName ? .endUserName : nil
                    }
                case 16: name == APIManagerProperty.userAgent ? .userAgent : nil
                case 18:
                    if name == APIManagerProperty.apiVersion {
                        .apiVersion
                    } else if name == APIManagerProperty.httpMethod {
                        .httpMethod
                    } else {
                        name == APIManagerProperty.consumerKey ? .consumerKey : nil
                    }
                case 19: name == APIManagerProperty.apiPublisher ? .apiPublisher : nil
                case 21: name == APIManagerProperty.applicationID ? .applicationID : nil
                case 23:
                    name == APIManagerProperty.applicationName
                        ? .applicationName : name == APIManagerProperty.applicationTier ? .applicationTier : nil
                case 24: name == APIManagerProperty.applicationOwner ? .applicationOwner : nil
                default: nil
                }
            guard let field else { return nil }
            self = field
        }
    }

    /// Whether `name` is one of the properties a call derives.
    static func isDerivedName(_ name: String) -> Bool {
        Field(named: name) != nil
    }

    /// Every name `value(named:)` answers for.
    static let derivedNames = Field.allCases.map(\.propertyName)

    /// Whether `value(named:)` may answer for `name`: `AM_KEY_TYPE` or an `api.ut.` name (a cheap test first, so
    /// other property reads do not walk the names).
    static func derives(_ name: String) -> Bool {
        name.utf8.first == UInt8(ascii: "a") ? name.hasPrefix("api.ut.") : name == APIManagerProperty.keyType
    }
}
