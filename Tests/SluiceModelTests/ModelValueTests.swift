import SluiceModel
import Testing

@Suite struct ModelValueTests {
    @Test func effectiveContextFollowsVersionStrategy() {
        var api = SynapseAPI(name: "admin--Pizza", context: "/pizza/{version}", version: "1.0.0", versionType: .context)
        #expect(api.effectiveContext == "/pizza/1.0.0")
        api.context = "/pizza"
        api.versionType = .url
        #expect(api.effectiveContext == "/pizza/1.0.0")
        api.version = nil
        api.versionType = nil
        #expect(api.effectiveContext == "/pizza")
    }

    @Test func locationsDoNotTakePartInEquality() {
        let a = SourceLocation(file: "a.xml", line: 1, column: 1)
        let b = SourceLocation(file: "b.xml", line: 9, column: 4)
        #expect(a != b)
        #expect(!a.isSamePlace(as: b))
        #expect(b.description == "b.xml:9:4")
        let first = SynapseAPI(name: "x", context: "/x", location: a)
        let second = SynapseAPI(name: "x", context: "/x", location: b)
        let unplaced = SynapseAPI(name: "x", context: "/x")
        #expect(first == second)
        #expect(first == unplaced)
        #expect(first.hashValue == unplaced.hashValue)
        #expect(first.location?.line == 1)
    }

    @Test func handlerPropertyLookupTakesTheLastValue() {
        let handler = GatewayHandlerSpec(
            className: "h",
            properties: [.init(name: "id", value: "A"), .init(name: "id", value: "B")]
        )
        #expect(handler[property: "id"] == "B")
        #expect(handler[property: "missing"] == nil)
    }

    @Test func defaultTiersMatchWSO2() {
        let subscription = TierSet.wso2Defaults(.subscription)
        #expect(subscription.tiers.map(\.name) == ["Gold", "Silver", "Bronze", "Unauthenticated"])
        #expect(subscription["Gold"]?.maxCount == 20)
        #expect(subscription["Unauthenticated"]?.maxCount == 60)
        #expect(subscription["Unlimited"]?.isUnlimited == true)
        #expect(subscription["Platinum"] == nil)
        #expect(TierSet.wso2Defaults(.application)["Large"]?.maxCount == 20)
        #expect(TierSet.wso2Defaults(.resource)["Basic"]?.maxCount == 1)
        #expect(TierLevel.application.fileName == "app-tiers.xml")
    }

    @Test func identityDefaultsMatchWSO2() {
        let settings = IdentitySettings.wso2Defaults
        #expect(settings.userAccessTokenValidity == 3600)
        #expect(settings.applicationAccessTokenValidity == 3600)
        #expect(settings.refreshTokenValidity == 84600)
        #expect(settings.timestampSkew == 300)
        #expect(settings.renewRefreshTokenForRefreshGrant)
    }
}

@Suite struct LifecycleTests {
    @Test(arguments: [
        (APILifecycleState.created, LifecycleAction.publish, APILifecycleState?.some(.published)),
        (.created, .deployAsPrototype, .prototyped),
        (.created, .block, nil),
        (.prototyped, .publish, .published),
        (.prototyped, .demoteToCreated, .created),
        (.published, .block, .blocked),
        (.published, .deprecate, .deprecated),
        (.published, .demoteToCreated, .created),
        (.published, .retire, nil),
        (.blocked, .republish, .published),
        (.blocked, .deprecate, .deprecated),
        (.blocked, .publish, nil),
        (.deprecated, .retire, .retired),
        (.deprecated, .publish, nil),
        (.retired, .publish, nil),
    ])
    func transitions(from state: APILifecycleState, action: LifecycleAction, to expected: APILifecycleState?) {
        #expect(state.applying(action) == expected)
    }

    @Test func retiredIsFinalAndNotDeployed() {
        #expect(APILifecycleState.retired.transitions.isEmpty)
        #expect(!APILifecycleState.retired.isDeployed)
        #expect(!APILifecycleState.created.isDeployed)
        #expect(APILifecycleState.deprecated.isDeployed)
    }
}
