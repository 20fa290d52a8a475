import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

@Suite struct ConfigReaderTests {
    static let repositoryConf: String = {
        let file = #filePath
        let tests = file[..<file.range(of: "/Tests/SluiceSynapseTests/")!.lowerBound]
        return String(tests) + "/repository/conf"
    }()

    // MARK: - identity.xml

    @Test func missingIdentityFileGivesWSO2Defaults() throws {
        let settings = try IdentityConfigReader.read(path: "/nonexistent/identity.xml")
        #expect(settings == IdentitySettings.wso2Defaults)
        #expect(settings.applicationAccessTokenValidity == 3600)
        #expect(settings.userAccessTokenValidity == 3600)
        #expect(settings.refreshTokenValidity == 84600)
        #expect(settings.timestampSkew == 300)
    }

    @Test func readsEveryIdentitySetting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "identity.xml",
            """
            <Server xmlns="http://wso2.org/projects/carbon/carbon.xml">
                <JDBCPersistenceManager><DataSource><Name>jdbc/WSO2AM_DB</Name></DataSource></JDBCPersistenceManager>
                <OAuth>
                    <AuthorizationCodeDefaultValidityPeriod>120</AuthorizationCodeDefaultValidityPeriod>
                    <AccessTokenDefaultValidityPeriod> 7200 </AccessTokenDefaultValidityPeriod>
                    <UserAccessTokenDefaultValidityPeriod>1800</UserAccessTokenDefaultValidityPeriod>
                    <RefreshTokenValidityPeriod>86400</RefreshTokenValidityPeriod>
                    <TimestampSkew>0</TimestampSkew>
                    <RenewRefreshTokenForRefreshGrant>false</RenewRefreshTokenForRefreshGrant>
                    <SupportedGrantTypes>
                        <SupportedGrantType><GrantTypeName>client_credentials</GrantTypeName></SupportedGrantType>
                        <SupportedGrantType><GrantTypeName>authorization_code</GrantTypeName></SupportedGrantType>
                    </SupportedGrantTypes>
                    <OpenIDConnect><IDTokenIssuerID>https://api.example.com/oauth2/token</IDTokenIssuerID></OpenIDConnect>
                </OAuth>
            </Server>
            """
        )
        let settings = try IdentityConfigReader.read(path: path)
        #expect(
            settings
                == IdentitySettings(
                    authorizationCodeValidity: 120,
                    applicationAccessTokenValidity: 7200,
                    userAccessTokenValidity: 1800,
                    refreshTokenValidity: 86400,
                    timestampSkew: 0,
                    renewRefreshTokenForRefreshGrant: false,
                    supportedGrantTypes: ["client_credentials", "authorization_code"],
                    tokenIssuer: "https://api.example.com/oauth2/token"
                )
        )
    }

    @Test func partialIdentityFileKeepsOtherDefaults() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "identity.xml",
            """
            <Server xmlns="http://wso2.org/projects/carbon/carbon.xml"><OAuth>
            <TimestampSkew>60</TimestampSkew></OAuth></Server>
            """
        )
        var expected = IdentitySettings.wso2Defaults
        expected.timestampSkew = 60
        #expect(try IdentityConfigReader.read(path: path) == expected)
    }

    @Test func identityValueThatIsNotANumberIsReportedWithItsLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "identity.xml",
            """
            <Server xmlns="http://wso2.org/projects/carbon/carbon.xml">
                <OAuth>
                    <AccessTokenDefaultValidityPeriod>1h</AccessTokenDefaultValidityPeriod>
                </OAuth>
            </Server>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try IdentityConfigReader.read(path: path) }
        #expect(error?.diagnostics.first?.message == "'AccessTokenDefaultValidityPeriod' must be an integer, not '1h'")
        #expect(error?.diagnostics.first?.location.line == 3)
    }

    @Test func shippedIdentityFileHoldsTheDefaults() throws {
        #expect(try IdentityConfigReader.read(path: Self.repositoryConf + "/identity.xml") == .wso2Defaults)
    }

    // MARK: - Tier files

    @Test(arguments: TierLevel.allCases)
    func missingTierFileGivesWSO2Defaults(level: TierLevel) throws {
        #expect(try TierConfigReader.read(path: "/nonexistent/" + level.fileName, level: level) == .wso2Defaults(level))
    }

    @Test(arguments: TierLevel.allCases)
    func shippedTierFilesHoldWSO2Defaults(level: TierLevel) throws {
        let tiers = try TierConfigReader.read(path: Self.repositoryConf + "/" + level.fileName, level: level)
        #expect(tiers == .wso2Defaults(level))
    }

    @Test func readAllReadsEachLevelFromItsFile() throws {
        let all = try TierConfigReader.readAll(confDirectory: Self.repositoryConf)
        #expect(all.count == 3)
        #expect(all[.application]?["Large"]?.maxCount == 20)
        #expect(all[.resource]?["Basic"]?.maxCount == 1)
        #expect(all[.subscription]?["Unlimited"]?.isUnlimited == true)
    }

    @Test func readsCustomTiersWithAttributes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "tiers.xml",
            """
            <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
                        xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
                <throttle:MediatorThrottleAssertion>
                    <wsp:Policy>
                        <throttle:ID throttle:type="ROLE">Platinum</throttle:ID>
                        <wsp:Policy><throttle:Control><wsp:Policy>
                            <throttle:MaximumCount>1000</throttle:MaximumCount>
                            <throttle:UnitTime>3600000</throttle:UnitTime>
                            <wsp:Policy><throttle:Attributes>
                                <throttle:x-wso2-BillingPlan>COMMERCIAL</throttle:x-wso2-BillingPlan>
                                <throttle:x-wso2-StopOnQuotaReach>false</throttle:x-wso2-StopOnQuotaReach>
                                <throttle:x-wso2-Region>eu</throttle:x-wso2-Region>
                            </throttle:Attributes></wsp:Policy>
                        </wsp:Policy></throttle:Control></wsp:Policy>
                    </wsp:Policy>
                    <wsp:Policy>
                        <throttle:ID throttle:type="ROLE">Unlimited</throttle:ID>
                    </wsp:Policy>
                </throttle:MediatorThrottleAssertion>
            </wsp:Policy>
            """
        )
        let tiers = try TierConfigReader.read(path: path, level: .subscription)
        #expect(
            tiers.tiers == [
                ThrottleTier(
                    name: "Platinum",
                    maxCount: 1000,
                    unitTime: 3_600_000,
                    billingPlan: "COMMERCIAL",
                    stopOnQuotaReach: false,
                    description: "Allows 1000 requests per hour",
                    attributes: ["x-wso2-Region": "eu"]
                ),
                .unlimited,
            ]
        )
    }

    @Test func tierWithoutCountIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "res-tiers.xml",
            """
            <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
                        xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
                <throttle:MediatorThrottleAssertion>
                    <wsp:Policy>
                        <throttle:ID throttle:type="ROLE">Broken</throttle:ID>
                    </wsp:Policy>
                </throttle:MediatorThrottleAssertion>
            </wsp:Policy>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) {
            try TierConfigReader.read(path: path, level: .resource)
        }
        #expect(error?.diagnostics.first?.message == "tier 'Broken' has no <throttle:MaximumCount>")
        #expect(error?.diagnostics.first?.location.line == 4)
    }

    // MARK: - api-manager.xml

    @Test func missingAPIManagerFileGivesDefaults() throws {
        let settings = try APIManagerConfigReader.read(path: "/nonexistent/api-manager.xml")
        #expect(settings == APIManagerSettings.defaults)
        #expect(settings.gatewayPort == 8280)
        #expect(settings.managementPort == 9763)
        #expect(settings.database == .sqlite(path: "repository/database/sluice.db"))
        #expect(settings.adminUsername == "admin")
        #expect(settings.adminPassword == nil)
        #expect(settings.roles == Set(NodeRole.allCases))
    }

    @Test func shippedAPIManagerFileHoldsTheDefaults() throws {
        #expect(try APIManagerConfigReader.read(path: Self.repositoryConf + "/api-manager.xml") == .defaults)
    }

    @Test func readsASplitGatewayNode() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Ports><Gateway>18280</Gateway><Management>19763</Management></Ports>
                <BindAddress>127.0.0.1</BindAddress>
                <Database><Type>postgres</Type><URL>postgres://sluice:pw@db:5432/sluice</URL></Database>
                <Roles><Role>gateway</Role></Roles>
                <Admin><Username>root</Username><Password> s3cret </Password></Admin>
                <KeyManager><URL>http://km.internal:9763</URL></KeyManager>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: path)
        #expect(
            settings
                == APIManagerSettings(
                    gatewayPort: 18280,
                    managementPort: 19763,
                    bindAddress: "127.0.0.1",
                    database: .postgres(url: "postgres://sluice:pw@db:5432/sluice"),
                    roles: [.gateway],
                    adminUsername: "root",
                    adminPassword: " s3cret ",
                    keyManagerURL: "http://km.internal:9763"
                )
        )
        #expect(!settings.description.contains("s3cret"))
        #expect(!settings.description.contains(":pw@"))
        #expect(settings.description.contains("postgres://sluice:<redacted>@db:5432/sluice"))
    }

    @Test func readsHTTPSPortsListenersSwitchedOffAndKeyStores() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Ports>
                    <Gateway>off</Gateway><GatewayHTTPS>18243</GatewayHTTPS>
                    <Management>19763</Management><ManagementHTTPS>OFF</ManagementHTTPS>
                </Ports>
                <Security>
                    <KeyStore>
                        <Location>repository/resources/security/wso2carbon.p12</Location>
                        <Password>wso2carbon</Password>
                    </KeyStore>
                    <KeyStore>
                        <Type>PEM</Type>
                        <Location>/etc/ssl/api.example.com.crt</Location>
                        <PrivateKey>/etc/ssl/api.example.com.key</PrivateKey>
                    </KeyStore>
                    <TrustStore><Location>repository/resources/security/backends.pem</Location></TrustStore>
                </Security>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: path)
        #expect(!settings.gatewayHTTPEnabled && settings.gatewayHTTPSPort == 18243)
        #expect(settings.managementHTTPEnabled && settings.managementPort == 19763 && settings.managementHTTPSPort == nil)
        #expect(
            settings.security
                == SecuritySettings(
                    keyStores: [
                        KeyStoreSettings(
                            format: .pkcs12,
                            location: "repository/resources/security/wso2carbon.p12",
                            password: "wso2carbon"
                        ),
                        KeyStoreSettings(
                            format: .pem,
                            location: "/etc/ssl/api.example.com.crt",
                            privateKeyLocation: "/etc/ssl/api.example.com.key"
                        ),
                    ],
                    trustStores: ["repository/resources/security/backends.pem"]
                )
        )
        #expect(!settings.description.contains("wso2carbon</"))
        #expect(!settings.description.contains("password: wso2carbon"))
        #expect(settings.description.contains("gatewayPort: off"))
    }

    @Test func keyStoreMistakesAreReportedWithTheirLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Security>
                    <KeyStore><Location>wso2carbon.jks</Location><Type>JKS</Type></KeyStore>
                    <KeyStore><Type>PEM</Type></KeyStore>
                    <KeyStore><Location>a.p12</Location><PrivateKey>a.key</PrivateKey></KeyStore>
                    <TrustStore/>
                </Security>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: path) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 4)
        #expect(messages.first?.contains(":3:") == true)
        #expect(messages.first?.contains("JKS key stores cannot be read; convert with 'keytool -importkeystore") == true)
        #expect(messages.dropFirst().first == "\(path):4:9: a <KeyStore> needs a <Location>")
        #expect(messages.dropFirst(2).first == "\(path):5:9: a PKCS12 <KeyStore> holds its key; <PrivateKey> is for PEM")
        #expect(messages.last == "\(path):6:9: a <TrustStore> needs a <Location>")
    }

    @Test func backendClientCertificatesNameServersAndAKeyStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Security>
                    <BackendClientCertificate>
                        <Servers>Billing.example.com:8443, 10.0.0.7:443</Servers>
                        <KeyStore><Location>partner.p12</Location><Password>secret</Password></KeyStore>
                    </BackendClientCertificate>
                </Security>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: good)
        #expect(
            settings.security.backendClientCertificates == [
                BackendClientCertificate(
                    servers: ["billing.example.com:8443", "10.0.0.7:443"],
                    keyStore: KeyStoreSettings(format: .pkcs12, location: "partner.p12", password: "secret")
                )
            ]
        )
        #expect(!settings.description.contains("secret"))
        let bad = try folder.write(
            "bad.xml",
            """
            <APIManager>
                <Security>
                    <BackendClientCertificate><Servers>billing.example.com</Servers><KeyStore><Location>a.pem</Location></KeyStore></BackendClientCertificate>
                    <BackendClientCertificate><KeyStore><Location>a.pem</Location></KeyStore></BackendClientCertificate>
                    <BackendClientCertificate><Servers>a:1</Servers></BackendClientCertificate>
                </Security>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: bad) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages == [
            "\(bad):3:9: 'billing.example.com' in <Servers> is not host:port",
            "\(bad):4:9: a <BackendClientCertificate> needs <Servers>host:port, ...</Servers>",
            "\(bad):5:9: a <BackendClientCertificate> needs a <KeyStore>",
        ])
    }

    @Test func jwtConfigurationReadsWSO2sElementsAndRefusesUnsignedJWTs() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <JWTConfiguration>
                    <EnableJWTGeneration>true</EnableJWTGeneration>
                    <JWTHeader>X-Caller-JWT</JWTHeader>
                    <ClaimsRetrieverImplClass>org.wso2.carbon.apimgt.impl.token.DefaultClaimsRetriever</ClaimsRetrieverImplClass>
                    <ConsumerDialectURI>http://wso2.org/claims</ConsumerDialectURI>
                    <SignatureAlgorithm>SHA256withRSA</SignatureAlgorithm>
                    <TTL>600</TTL>
                </JWTConfiguration>
            </APIManager>
            """
        )
        let settings = try APIManagerConfigReader.read(path: good).backendJWT
        #expect(settings == BackendJWTSettings(isEnabled: true, header: "X-Caller-JWT", validitySeconds: 600))
        #expect(try APIManagerConfigReader.read(path: folder.write("empty.xml", "<APIManager/>")).backendJWT.isEnabled == false)
        let bad = try folder.write(
            "bad.xml",
            """
            <APIManager>
                <JWTConfiguration>
                    <EnableJWTGeneration>yes</EnableJWTGeneration>
                    <SignatureAlgorithm>NONE</SignatureAlgorithm>
                    <TTL>5</TTL>
                    <JWTHeader>X JWT</JWTHeader>
                </JWTConfiguration>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: bad) }
        #expect(error?.diagnostics.count == 4)
    }

    @Test func readsTheUsageSettings() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Analytics>
                    <RawEventSampleRate>0.05</RawEventSampleRate>
                    <RollupRetentionDays>400</RollupRetentionDays>
                    <RawEventRetentionDays>2</RawEventRetentionDays>
                </Analytics>
            </APIManager>
            """
        )
        #expect(
            try APIManagerConfigReader.read(path: good).usage
                == UsageSettings(rawEventSampleRate: 0.05, rollupRetentionDays: 400, rawEventRetentionDays: 2)
        )
        #expect(APIManagerSettings.defaults.usage == UsageSettings(rawEventSampleRate: 0, rollupRetentionDays: 90, rawEventRetentionDays: 7))
        let bad = try folder.write(
            "bad.xml",
            """
            <APIManager>
                <Analytics>
                    <RawEventSampleRate>2</RawEventSampleRate>
                    <RollupRetentionDays>0</RollupRetentionDays>
                    <RawEventRetentionDays>week</RawEventRetentionDays>
                    <Sampling>1</Sampling>
                </Analytics>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: bad) }
        #expect(
            error?.diagnostics.map(\.description) == [
                "\(bad):3:9: <RawEventSampleRate> must be a number from 0 to 1, not '2'",
                "\(bad):4:9: <RollupRetentionDays> must be at least 1 day",
                "\(bad):5:9: 'RawEventRetentionDays' must be an integer, not 'week'",
                "\(bad):6:9: unknown element '<Sampling>' in <Analytics>",
            ]
        )
    }

    @Test func badAPIManagerValuesAreReportedWithTheirLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Ports><Gateway>70000</Gateway></Ports>
                <Roles><Role>router</Role></Roles>
                <Database><Type>mysql</Type></Database>
                <Colour>blue</Colour>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: path) }
        #expect(
            error?.diagnostics.map(\.description) == [
                "\(path):2:12: port 70000 is out of range (0-65535)",
                "\(path):3:12: unknown role 'router': expected one of gateway, key-manager, publisher, devportal, admin",
                "\(path):3:5: <Roles> must list at least one <Role>",
                "\(path):4:5: unknown database type 'mysql': expected sqlite or postgres",
                "\(path):5:5: unknown element '<Colour>' in <APIManager>",
            ]
        )
    }
}
