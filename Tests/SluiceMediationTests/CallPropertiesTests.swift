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
}
