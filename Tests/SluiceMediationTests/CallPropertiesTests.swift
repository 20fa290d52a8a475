import SluiceModel
import Testing

@testable import SluiceMediation

/// The authentication handler's `api.ut.*` and `AM_KEY_TYPE` properties, recorded as one value and derived on read:
/// every name answers as a stored property would, and sets and removals by mediators take precedence.
@Suite struct CallPropertiesTests {
    private let resource = DispatchedResource(
        apiName: "admin--Shop",
        context: "/shop/1.0.0",
        version: "1.0.0",
        resourceTemplate: "/items/*"
    )

    private func call(caller: CallProperties.Caller? = Self.caller) -> CallProperties {
        CallProperties(
            resource: resource,
            method: "GET",
            hostName: "gw.local:8280",
            userAgent: "curl/8",
            clientIP: "10.0.0.7",
            caller: caller
        )
    }

    private static let caller = CallProperties.Caller(
        keyType: "SANDBOX",
        consumerKey: "ck-1",
        user: "alice@carbon.super",
        applicationID: "app-7",
        applicationName: "Shopper",
        applicationOwner: "alice",
        subscriptionTier: "Gold",
        applicationTier: "10PerMin"
    )

    @Test func everyNameDerivesItsValueWithoutStoringAnything() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context.recordCall(call())
        #expect(context.properties.isEmpty)
        let expected: [String: String] = [
            APIManagerProperty.keyType: "SANDBOX", APIManagerProperty.context: "/shop/1.0.0",
            APIManagerProperty.apiVersion: resource.apiVersionLabel, APIManagerProperty.api: "admin--Shop",
            APIManagerProperty.version: "1.0.0", APIManagerProperty.resource: "/items/*",
            APIManagerProperty.httpMethod: "GET", APIManagerProperty.apiPublisher: "admin",
            APIManagerProperty.hostName: "gw.local:8280", APIManagerProperty.userAgent: "curl/8",
            APIManagerProperty.clientIP: "10.0.0.7", APIManagerProperty.consumerKey: "ck-1",
            APIManagerProperty.userID: "alice@carbon.super", APIManagerProperty.endUserName: "alice@carbon.super",
            APIManagerProperty.applicationID: "app-7", APIManagerProperty.applicationName: "Shopper",
            APIManagerProperty.applicationOwner: "alice", APIManagerProperty.subscriptionTier: "Gold",
            APIManagerProperty.applicationTier: "10PerMin",
        ]
        #expect(Set(expected.keys) == Set(CallProperties.derivedNames))
        for (name, value) in expected {
            #expect(context[property: name] == .string(value), "\(name)")
        }
        // Names of the same lengths that are not derived, and other scopes, read nothing.
        for name in ["api.ut.zzz", "AM_KEY_TYPF", "api.ut.requestTime", "api.ut.application.idx", "uri.var.id"] {
            #expect(context[property: name] == nil, "\(name)")
        }
        #expect(context[property: APIManagerProperty.consumerKey, scope: .axis2] == nil)
    }

    @Test func aCallWithoutCallerDerivesOnlyTheAPIFields() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context.recordCall(call(caller: nil))
        #expect(context[property: APIManagerProperty.api] == "admin--Shop")
        #expect(context[property: APIManagerProperty.keyType] == nil)
        #expect(context[property: APIManagerProperty.consumerKey] == nil)
    }

    @Test func setsAndRemovalsByMediatorsTakePrecedence() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context.recordCall(call())
        context[property: APIManagerProperty.applicationName] = "Renamed"
        context[property: APIManagerProperty.consumerKey] = nil
        #expect(context[property: APIManagerProperty.applicationName] == "Renamed")
        #expect(context[property: APIManagerProperty.consumerKey] == nil)
        // Set again after a removal: visible again.
        context[property: APIManagerProperty.consumerKey] = "ck-2"
        #expect(context[property: APIManagerProperty.consumerKey] == "ck-2")
    }

    @Test func recordingReplacesEarlierValuesOfTheNamesItHasAndKeepsTheOthers() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context[property: APIManagerProperty.applicationID] = "earlier"
        context[property: APIManagerProperty.userAgent] = nil
        context[property: "unrelated"] = "kept"
        context[property: APIManagerProperty.requestTime] = .integer(42)
        // A caller without an application name: an earlier explicit value of that name stays.
        context[property: APIManagerProperty.applicationName] = "from a mediator"
        var caller = Self.caller
        caller.applicationName = nil
        context.recordCall(call(caller: caller))
        #expect(context[property: APIManagerProperty.applicationID] == "app-7")
        #expect(context[property: APIManagerProperty.userAgent] == "curl/8")
        #expect(context[property: APIManagerProperty.applicationName] == "from a mediator")
        #expect(context[property: "unrelated"] == "kept")
        #expect(context[property: APIManagerProperty.requestTime] == .integer(42))
    }

    /// `callText` answers every field as the read by its name does.
    private func expectCallTextMatchesReadsByName(_ context: MessageContext, _ situation: String) {
        for field in CallProperties.Field.allCases {
            let byName = context[property: field.propertyName]?.stringValue
            #expect(context.callText(field) == byName, "\(field) \(situation)")
        }
    }

    @Test func callTextReadsTheRecordedCallAsTheNamesDo() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        expectCallTextMatchesReadsByName(context, "before any call")
        context[property: APIManagerProperty.requestTime] = .integer(42)
        context.recordCall(call())
        #expect(!context.callPropertiesShadowed)
        #expect(context.callText(.applicationID) == "app-7")
        #expect(context.callText(.clientIP) == "10.0.0.7")
        expectCallTextMatchesReadsByName(context, "recorded")
        // Properties of other names (the usage timestamps) leave the recorded values readable as they are.
        context[property: APIManagerProperty.backendRequestEndTime] = .integer(43)
        context[property: "api.ut.zzz"] = "other"
        #expect(!context.callPropertiesShadowed)
    }

    @Test func callTextFollowsSetsAndRemovalsAfterTheCall() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context.recordCall(call())
        context[property: APIManagerProperty.subscriptionTier] = .integer(5)
        #expect(context.callText(.subscriptionTier) == "5")
        expectCallTextMatchesReadsByName(context, "after a set")
        context[property: APIManagerProperty.userID] = nil
        #expect(context.callText(.userID) == nil)
        #expect(context.callText(.endUserName) == "alice@carbon.super")
        expectCallTextMatchesReadsByName(context, "after a removal")
        #expect(context.clientIP == "10.0.0.7")
        context[property: APIManagerProperty.clientIP] = "192.0.2.1"
        #expect(context.clientIP == "192.0.2.1")
    }

    @Test func callTextKeepsWhatWasSetBeforeTheCallUnderNamesItLacks() {
        var context = Build.context(path: "/shop/1.0.0/items/1")
        context[property: APIManagerProperty.applicationName] = "from a mediator"
        context[property: APIManagerProperty.consumerKey] = "replaced by the call"
        var caller = Self.caller
        caller.applicationName = nil
        context.recordCall(call(caller: caller))
        #expect(context.callText(.applicationName) == "from a mediator")
        #expect(context.callText(.consumerKey) == "ck-1")
        expectCallTextMatchesReadsByName(context, "set before")

        // A removal before the call of a name the call has no value for stays a removal.
        var removed = Build.context(path: "/shop/1.0.0/items/1")
        removed[property: APIManagerProperty.applicationTier] = nil
        caller.applicationTier = nil
        removed.recordCall(call(caller: caller))
        #expect(removed.callPropertiesShadowed)
        expectCallTextMatchesReadsByName(removed, "removed before")

        // Every value of such a name replaced by the call: nothing shadows it any more.
        var replaced = Build.context(path: "/shop/1.0.0/items/1")
        replaced[property: APIManagerProperty.applicationID] = "earlier"
        #expect(replaced.callPropertiesShadowed)
        replaced.recordCall(call())
        #expect(!replaced.callPropertiesShadowed)
        expectCallTextMatchesReadsByName(replaced, "replaced")
    }

    @Test func fieldsAreFoundByTheirNamesOnly() {
        for field in CallProperties.Field.allCases {
            #expect(CallProperties.Field(named: field.propertyName) == field)
        }
        let others = [
            "api.ut.zzz", "AM_KEY_TYPF", "api.ut.requestTime", "api.ut.application.idx", "", "api.ut.api_versio",
        ]
        for name in others {
            #expect(CallProperties.Field(named: name) == nil, "\(name)")
        }
    }
}
