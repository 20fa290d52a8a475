import SluiceStoragePostgres
import Testing

/// Database URLs read as libpq reads them; mistakes are named without showing the password.
@Suite struct PostgresConnectionSettingsTests {
    @Test func aFullURLGivesEveryPart() throws {
        let settings = try PostgresConnectionSettings(
            url: "postgresql://sluice:p%40ss@db.internal:6543/apim?sslmode=verify-full&application_name=gw1&pool_max=5"
        )
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "sluice")
        #expect(settings.password == "p@ss")
        #expect(settings.database == "apim")
        #expect(settings.sslMode == .verifyFull)
        #expect(settings.applicationName == "gw1")
        #expect(settings.maximumConnections == 5)
    }

    @Test func defaultsFollowLibpq() throws {
        let settings = try PostgresConnectionSettings(url: "postgres://sluice@localhost")
        #expect(settings.port == 5432)
        #expect(settings.database == "sluice")
        #expect(settings.password == nil)
        #expect(settings.sslMode == .prefer)
        #expect(settings.maximumConnections == 20)
    }

    @Test func thePasswordMayComeFromTheEnvironment() throws {
        let environment = ["PGPASSWORD": "from-pg", "SLUICE_DATABASE_PASSWORD": "from-sluice"]
        #expect(try PostgresConnectionSettings(url: "postgres://u@h/d", environment: environment).password == "from-sluice")
        #expect(try PostgresConnectionSettings(url: "postgres://u@h/d", environment: ["PGPASSWORD": "x"]).password == "x")
        #expect(try PostgresConnectionSettings(url: "postgres://u:url@h/d", environment: environment).password == "url")
    }

    @Test(arguments: [
        ("mysql://u@h/d", "must look like postgres://"),
        ("postgres:///d", "names no host"),
        ("postgres://h/d", "names no user"),
        ("postgres://u:secret@h/d?sslmode=maybe", "unknown sslmode 'maybe'"),
        ("postgres://u:secret@h/d?pool_max=0", "pool_max"),
        ("postgres://u:secret@h/d?color=red", "unknown database URL parameter 'color'"),
        ("postgres://u@h/d?sslmode=verify-ca&sslrootcert=/no/such/file.pem", "cannot read sslrootcert"),
    ])
    func mistakesAreNamedWithoutThePassword(url: String, expected: String) {
        #expect {
            _ = try PostgresConnectionSettings(url: url).clientConfiguration()
        } throws: { error in
            let description = "\(error)"
            return description.contains(expected) && !description.contains("secret")
        }
    }
}
