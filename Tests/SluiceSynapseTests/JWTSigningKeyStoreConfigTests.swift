import Foundation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// `<Security><JWTSigningKeyStore>`: the key store JWTs are signed with when it is not the first `<KeyStore>`.
@Suite struct JWTSigningKeyStoreConfigTests {
    @Test func theSigningKeyStoreIsReadBesideTheTLSOnes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let good = try folder.write(
            "api-manager.xml",
            """
            <APIManager>
                <Security>
                    <KeyStore><Location>tls.p12</Location><Password>tls-secret</Password></KeyStore>
                    <JWTSigningKeyStore>
                        <Type>PEM</Type>
                        <Location>repository/resources/security/jwt-es256.crt</Location>
                        <PrivateKey>repository/resources/security/jwt-es256.key</PrivateKey>
                        <Password>jwt-secret</Password>
                    </JWTSigningKeyStore>
                </Security>
            </APIManager>
            """
        )
        let security = try APIManagerConfigReader.read(path: good).security
        #expect(security.keyStores == [KeyStoreSettings(format: .pkcs12, location: "tls.p12", password: "tls-secret")])
        #expect(
            security.jwtSigningKeyStore
                == KeyStoreSettings(
                    format: .pem,
                    location: "repository/resources/security/jwt-es256.crt",
                    privateKeyLocation: "repository/resources/security/jwt-es256.key",
                    password: "jwt-secret"
                )
        )
        #expect(!security.description.contains("jwt-secret"))
        // Without it the first key store signs, as before.
        #expect(try APIManagerConfigReader.read(path: folder.write("empty.xml", "<APIManager/>")).security.jwtSigningKeyStore == nil)
    }

    @Test func aSecondOrIncompleteSigningKeyStoreIsReportedWithItsLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bad = try folder.write(
            "bad.xml",
            """
            <APIManager>
                <Security>
                    <JWTSigningKeyStore><Location>a.p12</Location></JWTSigningKeyStore>
                    <JWTSigningKeyStore><Location>b.p12</Location></JWTSigningKeyStore>
                </Security>
            </APIManager>
            """
        )
        let error = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: bad) }
        #expect(error?.diagnostics.map(\.description) == [
            "\(bad):4:9: only one <JWTSigningKeyStore> signs JWTs; remove the others"
        ])
        let incomplete = try folder.write(
            "incomplete.xml",
            """
            <APIManager>
                <Security>
                    <JWTSigningKeyStore><Type>PEM</Type></JWTSigningKeyStore>
                </Security>
            </APIManager>
            """
        )
        let missing = #expect(throws: SynapseDiagnostics.self) { try APIManagerConfigReader.read(path: incomplete) }
        #expect(missing?.diagnostics.map(\.description) == [
            "\(incomplete):3:9: a <JWTSigningKeyStore> needs a <Location>"
        ])
    }
}
