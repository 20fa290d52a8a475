import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

@Suite struct PasswordHasherTests {
    @Test func defaultHasherUsesAtLeast210000Iterations() {
        #expect(PasswordHasher().iterations >= 210_000)
        #expect(PasswordHasher(iterations: 5).iterations == 210_000)
    }

    @Test func hashesAreSaltedAndVerify() {
        let hasher = PasswordHasher.insecureForTesting(iterations: 100)
        let first = hasher.hash("s3cret")
        let second = hasher.hash("s3cret")
        #expect(first != second)
        #expect(first.hasPrefix("pbkdf2-sha256$100$"))
        #expect(hasher.verify("s3cret", against: first))
        #expect(!hasher.verify("s3creT", against: first))
        // The count in the hash decides, whatever the hasher's own setting.
        #expect(PasswordHasher.insecureForTesting(iterations: 7).verify("s3cret", against: second))
    }

    @Test(arguments: ["", "pbkdf2-sha256$100$abc", "md5$1$AAAA$AAAA", "pbkdf2-sha256$999999999$AAAA$AAAA"])
    func malformedHashesNeverVerify(encoded: String) {
        #expect(!PasswordHasher.insecureForTesting(iterations: 1).verify("x", against: encoded))
    }

    @Test func bootstrapCreatesTheAdminOnceAndReportsAMadeUpPassword() async throws {
        let storage = try SQLiteStorage.inMemory()
        let keyManager = try await KeyManager(
            storage: storage,
            configuration: KeyManagerConfiguration(passwordHasher: .insecureForTesting(iterations: 10))
        )
        let generated = try #require(try await keyManager.bootstrap(adminPassword: nil))
        #expect(generated.count >= 20)
        #expect(try await keyManager.bootstrap(adminPassword: nil) == nil)
        let admin = try #require(try await keyManager.authenticateUser(username: "admin", password: generated))
        #expect(admin.roles == ["admin"])
        #expect(try await storage.user(named: "admin")?.passwordHash.contains(generated) == false)
        #expect(Set(try await storage.roles().map(\.name)) == Set(Role.defaults.map(\.name)))
        #expect(try await keyManager.authenticateUser(username: "admin", password: "guess") == nil)
        #expect(try await keyManager.scopes(ofUser: "admin") == Role.admin.scopes)
        #expect(try await keyManager.scopes(ofUser: "ghost").isEmpty)
    }

    @Test func bootstrapWithAGivenPasswordReturnsNothing() async throws {
        let keyManager = try await KeyManager(
            storage: try SQLiteStorage.inMemory(),
            configuration: KeyManagerConfiguration(passwordHasher: .insecureForTesting(iterations: 10))
        )
        #expect(try await keyManager.bootstrap(adminUsername: "root", adminPassword: "given") == nil)
        #expect(try await keyManager.authenticateUser(username: "root", password: "given") != nil)
    }
}
