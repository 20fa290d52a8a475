import Foundation
import Logging
import SluiceKeyManager
import SluiceModel
package import SluiceStorage

/// Exporting a developer-portal application with its subscriptions (and keys) and importing one: the logic behind
/// WSO2's devportal `GET /applications/export` and `POST /applications/import` (`apictl export app|import app`).
///
/// An import goes through the key manager as the devportal's own writes do (the gateways' key-validation state
/// follows at once); a new application that fails half way is deleted again, so it lands whole or not at all.
/// Subscriptions to APIs this server does not have (or does not offer the tier of) are skipped and reported.
package struct ApplicationImportExportService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// WSO2's scope of both operations.
    package static let scope = "apim:app_import_export"

    /// How an import treats owners, existing applications, subscriptions and keys (WSO2's query parameters).
    package struct ImportOptions: Sendable, Hashable {
        /// Keep the archive's owner (else the caller, or ``appOwner``).
        package var preserveOwner = false
        /// The owner in this environment; another user than the caller needs `apim:admin`.
        package var appOwner: String?
        package var skipSubscriptions = false
        package var skipApplicationKeys = false
        /// Update the owner's application of the same name instead of refusing with 409.
        package var update = false
        /// Subscribe with a tier the API offers when it does not offer the archive's one, instead of skipping.
        package var ignoreTier = false

        /// Creates options.
        package init() {}
    }

    /// What an import did.
    package struct ImportResult: Sendable {
        package var application: ApplicationRecord
        package var subscriptionCount: Int
        /// Subscriptions left out: an API missing here, not published, or without the tier.
        package var skipped: [ApplicationArchive.APIIdentifier]
    }

    // MARK: - Export

    /// The application named `name` of `owner` as an archive.
    /// - Parameter withKeys: Include the keys (consumer key, grants, callback and the secret's hash).
    /// - Throws: ``ManagementError`` 403 without the scope, 404 (unknown, or another user's for a non-administrator).
    package func export(
        name: String,
        owner: String,
        withKeys: Bool,
        format: APIProject.Format,
        by principal: Principal
    ) async throws -> (fileName: String, archive: Data) {
        try principal.require(Self.scope)
        try principal.requireOwnership(of: owner, "Application \(name) of \(owner)")
        guard let application = try await services.storage.application(owner: owner, name: name),
            !application.isInternal
        else { throw ManagementError.notFound("Application \(name) of \(owner) not found") }
        let subscriptions = try await services.keyManager.subscriptions(applicationID: application.id)
        var info = ApplicationArchive.ApplicationInfo(
            applicationId: application.id,
            name: application.name,
            throttlingPolicy: application.throttlingTier,
            description: application.description,
            tokenType: application.tokenType,
            status: application.status,
            owner: application.owner,
            subscriptionCount: subscriptions.count
        )
        if withKeys {
            info.keys = try await services.keyManager.keys(applicationID: application.id).map { key in
                ApplicationArchive.Key(
                    keyType: key.keyType.rawValue,
                    consumerKey: key.consumerKey,
                    consumerSecretHash: key.secretHash.base64EncodedString(),
                    supportedGrantTypes: key.grantTypes,
                    callbackUrl: key.callbackURL,
                    keyManager: KeyMapping.keyManagerName
                )
            }
        }
        var subscribed: [ApplicationArchive.SubscribedAPI] = []
        for subscription in subscriptions {
            let api = try await subscription.apiID.asyncFlatMap { try await services.storage.api(id: $0) }
            subscribed.append(
                ApplicationArchive.SubscribedAPI(
                    apiId: ApplicationArchive.APIIdentifier(
                        providerName: api?.provider ?? subscription.apiProvider,
                        apiName: api?.name ?? subscription.apiName ?? subscription.apiContext,
                        version: subscription.apiVersion
                    ),
                    throttlingPolicy: subscription.tier,
                    subscriber: ApplicationArchive.Subscriber(name: application.owner)
                )
            )
        }
        let archive = ApplicationArchive(contents: .init(applicationInfo: info, subscribedAPIs: subscribed))
        do throws(APIProjectError) {
            return (archive.fileName, try archive.zip(format: format))
        } catch {
            throw ManagementError.internalError("The application cannot be exported: \(error.description)")
        }
    }

    // MARK: - Import

    /// Creates (or with ``ImportOptions/update`` updates) an application from an archive.
    /// - Throws: ``ManagementError`` 400 (an archive that cannot be read, naming the file; an application tier
    ///   missing here; a key that cannot be taken), 403, 404 (an owner who does not exist), 409 (the owner has an
    ///   application of that name and update is off; a consumer key in use elsewhere).
    package func importArchive(_ data: Data, options: ImportOptions, by principal: Principal) async throws
        -> ImportResult
    {
        try principal.require(Self.scope)
        let archive: ApplicationArchive
        do throws(APIProjectError) {
            archive = try ApplicationArchive(archive: data)
        } catch {
            throw ManagementError.badRequest("The application archive cannot be imported: \(error.description)")
        }
        let info = archive.contents.applicationInfo
        let owner = try await owner(of: info, options: options, principal: principal)
        let subscriber = SubscriberService(services: services)
        let ownerPrincipal = Principal(
            username: owner,
            roles: principal.roles,
            scopes: principal.scopes,
            method: principal.method
        )
        let existing = try await services.storage.application(owner: owner, name: info.name)
        if existing != nil, !options.update {
            throw ManagementError.conflict(
                "\(owner) already has an application named \(info.name) (update=true updates it)"
            )
        }
        let application: ApplicationRecord
        if let existing {
            application = try await subscriber.updateApplication(
                existing.id,
                name: info.name,
                tier: info.throttlingPolicy,
                description: info.description,
                tokenType: info.tokenType,
                principal: ownerPrincipal
            )
        } else {
            application = try await subscriber.createApplication(
                name: info.name,
                tier: info.throttlingPolicy,
                description: info.description,
                tokenType: info.tokenType,
                principal: ownerPrincipal
            )
        }
        let failure: any Error
        do {
            return try await populate(application, from: archive, options: options)
        } catch {
            failure = error
        }
        // All or nothing for a new application: it goes again with what was added to it.
        if existing == nil { _ = try? await services.keyManager.deleteApplication(id: application.id) }
        throw failure
    }

    /// The archive's keys and subscriptions added to `application`.
    private func populate(_ application: ApplicationRecord, from archive: ApplicationArchive, options: ImportOptions)
        async throws -> ImportResult
    {
        if !options.skipApplicationKeys {
            try await importKeys(archive.contents.applicationInfo.keys ?? [], into: application)
        }
        var skipped: [ApplicationArchive.APIIdentifier] = []
        if !options.skipSubscriptions {
            skipped = try await importSubscriptions(
                archive.contents.subscribedAPIs ?? [],
                into: application,
                ignoreTier: options.ignoreTier
            )
        }
        let count = try await services.keyManager.subscriptions(applicationID: application.id).count
        logger.info(
            "Application imported",
            metadata: ["sluice.application": "\(application.id)", "sluice.skipped": "\(skipped.count)"]
        )
        return ImportResult(application: application, subscriptionCount: count, skipped: skipped)
    }

    /// The owner the imported application gets.
    private func owner(
        of info: ApplicationArchive.ApplicationInfo,
        options: ImportOptions,
        principal: Principal
    ) async throws -> String {
        var owner = principal.username
        if let appOwner = options.appOwner, !appOwner.isEmpty {
            owner = appOwner
        } else if options.preserveOwner, let archived = info.owner, !archived.isEmpty {
            owner = archived
        }
        guard owner.caseInsensitiveCompare(principal.username) != .orderedSame else { return principal.username }
        guard principal.isAdministrator else {
            throw ManagementError.forbidden("Only an administrator imports an application for another user (\(owner))")
        }
        guard let user = try await services.storage.user(named: owner) else {
            throw ManagementError.notFound("No user \(owner) to own the imported application")
        }
        return user.username
    }

    /// The archive's keys the application does not have yet: a Sluice hash as it is, a WSO2 secret hashed.
    private func importKeys(_ keys: [ApplicationArchive.Key], into application: ApplicationRecord) async throws {
        let current = Set(try await services.keyManager.keys(applicationID: application.id).map(\.keyType))
        for key in keys {
            guard let keyType = KeyType(rawValue: key.keyType.uppercased()) else {
                throw ManagementError.badRequest("The key type \(key.keyType) is neither PRODUCTION nor SANDBOX")
            }
            guard !current.contains(keyType) else { continue }
            let hash: Data
            if let encoded = key.consumerSecretHash {
                guard let decoded = Data(base64Encoded: encoded), decoded.count == 32 else {
                    throw ManagementError.badRequest("The \(keyType.rawValue) key's consumerSecretHash is not a SHA-256")
                }
                hash = decoded
            } else if let encoded = key.consumerSecret, let decoded = Data(base64Encoded: encoded),
                let secret = String(data: decoded, encoding: .utf8), !secret.isEmpty
            {
                hash = SecretGenerator.hash(secret)
            } else {
                throw ManagementError.badRequest(
                    "The \(keyType.rawValue) key has no secret (skipApplicationKeys=true imports the application without keys)"
                )
            }
            do {
                _ = try await services.keyManager.mapKeys(
                    applicationID: application.id,
                    keyType: keyType,
                    consumerKey: key.consumerKey,
                    secretHash: hash,
                    grantTypes: key.supportedGrantTypes,
                    callbackURL: key.callbackUrl.flatMap { $0.isEmpty ? nil : $0 }
                )
            } catch let error as StorageError where error.code == .duplicate {
                throw ManagementError.conflict("The consumer key of the \(keyType.rawValue) keys is in use here")
            }
        }
    }

    /// Subscribes the application to the archive's APIs found here; returns those skipped.
    private func importSubscriptions(
        _ subscribed: [ApplicationArchive.SubscribedAPI],
        into application: ApplicationRecord,
        ignoreTier: Bool
    ) async throws -> [ApplicationArchive.APIIdentifier] {
        let apis = try await services.storage.apis()
        let current = try await services.keyManager.subscriptions(applicationID: application.id)
        var skipped: [ApplicationArchive.APIIdentifier] = []
        for entry in subscribed {
            let id = entry.apiId
            let candidates = apis.filter { $0.name == id.apiName && $0.version == id.version }
            guard
                let api = candidates.first(where: { $0.provider == id.providerName })
                    ?? (candidates.count == 1 ? candidates.first : nil),
                api.lifecycleState == .published
            else {
                skipped.append(id)
                continue
            }
            if current.contains(where: { $0.apiID == api.id }) { continue }
            let offered = api.stored.definition.offeredTiers
            var tier = entry.throttlingPolicy
            if !offered.contains(tier) {
                guard ignoreTier, let first = offered.first else {
                    skipped.append(id)
                    continue
                }
                tier = first
            }
            _ = try await services.keyManager.subscribe(applicationID: application.id, apiID: api.id, tier: tier)
        }
        return skipped
    }
}

extension Optional {
    /// `flatMap` with an async throwing transform.
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
