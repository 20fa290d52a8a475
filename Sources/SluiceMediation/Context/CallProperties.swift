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

    /// The value of a derived property, or nil when `name` is not one (or has no value).
    func value(named name: String) -> PropertyValue? {
        text(named: name).map(PropertyValue.string)
    }

    /// Every property read of the default scope that the context's dictionary misses comes here, so the name is
    /// told by its length first: at most four comparisons, most of them of small (inline) strings.
    private func text(named name: String) -> String? {
        switch name.utf8.count {
        case 10: return name == APIManagerProperty.api ? resource.apiName : nil
        case 11:
            if name == APIManagerProperty.keyType { return caller?.keyType }
            return name == APIManagerProperty.subscriptionTier ? caller?.subscriptionTier : nil
        case 13: return name == APIManagerProperty.userID ? caller?.user : nil
        case 14:
            if name == APIManagerProperty.context { return resource.context }
            return name == APIManagerProperty.version ? resource.version : nil
        case 15:
            if name == APIManagerProperty.resource { return resource.resourceTemplate }
            if name == APIManagerProperty.hostName { return hostName }
            if name == APIManagerProperty.clientIP { return clientIP }
            return name == APIManagerProperty.endUserName ? caller?.user : nil
        case 16: return name == APIManagerProperty.userAgent ? userAgent : nil
        case 18:
            if name == APIManagerProperty.apiVersion { return resource.apiVersionLabel }
            if name == APIManagerProperty.httpMethod { return method }
            return name == APIManagerProperty.consumerKey ? caller?.consumerKey : nil
        case 19: return name == APIManagerProperty.apiPublisher ? resource.apiProvider : nil
        case 21: return name == APIManagerProperty.applicationID ? caller?.applicationID : nil
        case 23:
            if name == APIManagerProperty.applicationName { return caller?.applicationName }
            return name == APIManagerProperty.applicationTier ? caller?.applicationTier : nil
        case 24: return name == APIManagerProperty.applicationOwner ? caller?.applicationOwner : nil
        default: return nil
        }
    }

    /// Every name `value(named:)` answers for.
    static let derivedNames = [
        APIManagerProperty.keyType, APIManagerProperty.context, APIManagerProperty.apiVersion, APIManagerProperty.api,
        APIManagerProperty.version, APIManagerProperty.resource, APIManagerProperty.httpMethod,
        APIManagerProperty.apiPublisher, APIManagerProperty.hostName, APIManagerProperty.userAgent,
        APIManagerProperty.clientIP, APIManagerProperty.consumerKey, APIManagerProperty.userID,
        APIManagerProperty.endUserName, APIManagerProperty.applicationID, APIManagerProperty.applicationName,
        APIManagerProperty.applicationOwner, APIManagerProperty.subscriptionTier, APIManagerProperty.applicationTier,
    ]

    /// Whether `value(named:)` may answer for `name`: `AM_KEY_TYPE` or an `api.ut.` name (a cheap test first, so
    /// other property reads do not walk the names).
    static func derives(_ name: String) -> Bool {
        name.utf8.first == UInt8(ascii: "a") ? name.hasPrefix("api.ut.") : name == APIManagerProperty.keyType
    }
}
