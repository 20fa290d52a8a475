import Foundation
package import SluiceModel
import SluiceStorage
import SluiceTLS

/// The publisher's client certificates of an API (WSO2's `/apis/{apiId}/client-certificates` and
/// `/apis/{apiId}/client-certs/{keyType}`): uploaded per API with an alias, a subscription tier and a key type,
/// kept in the API's stored document, and listed by fingerprint in the artifact's `certificateInformation`, so
/// they reach every gateway (split and cluster nodes too) with the artifact itself. A change to the certificates
/// of a deployed API is deployed at once, as a certificate upload is in WSO2.
extension PublisherAPIService {
    /// `ClientCertMetadataDTO`.
    package struct ClientCertificateMetadata: Sendable, Hashable {
        package var alias: String
        package var apiID: String
        package var tier: String
        package var keyType: KeyType
    }

    /// `CertificateInfoDTO`.
    package struct ClientCertificateInfo: Sendable, Hashable {
        /// `Active` or `Expired`.
        package var status: String
        package var validFrom: Date
        package var validTo: Date
        package var version: String
        package var subject: String
        package var fingerprint: String
    }

    /// The certificates of an API, optionally only the one with `alias` and only those of `keyType`.
    /// - Throws: ``ManagementError`` 403 without `apim:api_view`, 404 for an unknown API.
    package func clientCertificates(
        apiID: String,
        alias: String? = nil,
        keyType: KeyType? = nil,
        by principal: Principal
    ) async throws -> [ClientCertificateMetadata] {
        try principal.require("apim:api_view")
        let record = try await PublisherSupport.api(apiID, services)
        return (record.stored.clientCertificates ?? [])
            .filter { (alias == nil || $0.alias == alias) && (keyType == nil || $0.keyType == keyType) }
            .map { metadata($0, apiID: record.id) }
    }

    /// Uploads a certificate for an API.
    /// - Parameters:
    ///   - bytes: The file: one PEM certificate, or DER.
    ///   - alias: Its name, 1-30 characters, unique within the API.
    ///   - tier: A subscription tier.
    ///   - keyType: The endpoint its calls reach.
    /// - Throws: ``ManagementError`` 400 (not a certificate, expired, bad alias, unknown tier), 403, 404, 409 (alias
    ///   or certificate already uploaded for the API); deployment and storage errors (the artifact is put back).
    package func addClientCertificate(
        apiID: String,
        alias: String,
        tier: String,
        keyType: KeyType = .production,
        bytes: [UInt8],
        by principal: Principal
    ) async throws -> ClientCertificateMetadata {
        try principal.require("apim:api_create")
        let trimmedAlias = alias.trimmingCharacters(in: .whitespaces)
        guard (1...30).contains(trimmedAlias.count) else {
            throw ManagementError.badRequest("alias must be 1 to 30 characters long")
        }
        let details = try Self.readCertificate(bytes)
        try await checkTier(tier)
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var certificates = record.stored.clientCertificates ?? []
            if certificates.contains(where: { $0.alias == trimmedAlias }) {
                throw ManagementError.conflict("Alias '\(trimmedAlias)' already exists for this API")
            }
            if let other = certificates.first(where: { $0.fingerprint == details.fingerprint }) {
                throw ManagementError.conflict("The certificate is already uploaded for this API as '\(other.alias)'")
            }
            let entry = StoredClientCertificate(
                alias: trimmedAlias, tier: tier, keyType: keyType, certificate: details.pem,
                fingerprint: details.fingerprint
            )
            certificates.append(entry)
            try await replaceClientCertificates(of: record, with: certificates)
            return metadata(entry, apiID: record.id)
        }
    }

    /// Replaces the certificate and/or the tier of an uploaded certificate.
    /// - Throws: as ``addClientCertificate(apiID:alias:tier:keyType:bytes:by:)``, and 404 for an unknown alias.
    package func updateClientCertificate(
        apiID: String,
        alias: String,
        tier: String?,
        bytes: [UInt8]?,
        by principal: Principal
    ) async throws -> ClientCertificateMetadata {
        try principal.require("apim:api_create")
        let details = try bytes.map(Self.readCertificate)
        if let tier { try await checkTier(tier) }
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var certificates = record.stored.clientCertificates ?? []
            guard let index = certificates.firstIndex(where: { $0.alias == alias }) else {
                throw ManagementError.notFound("No certificate with alias '\(alias)' for this API")
            }
            if let details {
                if let other = certificates.first(where: { $0.fingerprint == details.fingerprint && $0.alias != alias }) {
                    throw ManagementError.conflict("The certificate is already uploaded for this API as '\(other.alias)'")
                }
                certificates[index].certificate = details.pem
                certificates[index].fingerprint = details.fingerprint
            }
            if let tier { certificates[index].tier = tier }
            try await replaceClientCertificates(of: record, with: certificates)
            return metadata(certificates[index], apiID: record.id)
        }
    }

    /// Deletes an uploaded certificate; the gateway stops accepting it with the redeployed artifact.
    /// - Throws: ``ManagementError`` 403, 404 (API or alias); deployment and storage errors.
    package func deleteClientCertificate(apiID: String, alias: String, by principal: Principal) async throws {
        try principal.require("apim:api_create")
        try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var certificates = record.stored.clientCertificates ?? []
            guard let index = certificates.firstIndex(where: { $0.alias == alias }) else {
                throw ManagementError.notFound("No certificate with alias '\(alias)' for this API")
            }
            certificates.remove(at: index)
            try await replaceClientCertificates(of: record, with: certificates)
        }
    }

    /// The status, validity and subject of an uploaded certificate.
    /// - Throws: ``ManagementError`` 403, 404.
    package func clientCertificateInfo(apiID: String, alias: String, by principal: Principal) async throws
        -> ClientCertificateInfo
    {
        let details = try await clientCertificateDetails(apiID: apiID, alias: alias, by: principal)
        return ClientCertificateInfo(
            status: details.isValid(at: Date()) ? "Active" : "Expired",
            validFrom: details.notValidBefore,
            validTo: details.notValidAfter,
            version: details.version,
            subject: details.subject,
            fingerprint: details.fingerprint
        )
    }

    /// The uploaded certificate in PEM.
    /// - Throws: ``ManagementError`` 403, 404.
    package func clientCertificateContent(apiID: String, alias: String, by principal: Principal) async throws -> String {
        try await clientCertificateDetails(apiID: apiID, alias: alias, by: principal).pem
    }

    // MARK: - Private

    private func clientCertificateDetails(apiID: String, alias: String, by principal: Principal) async throws
        -> CertificateDetails
    {
        try principal.require("apim:api_view")
        let record = try await PublisherSupport.api(apiID, services)
        guard let stored = record.stored.clientCertificates?.first(where: { $0.alias == alias }) else {
            throw ManagementError.notFound("No certificate with alias '\(alias)' for this API")
        }
        return try CertificateDetails(uploaded: Array(stored.certificate.utf8))
    }

    private static func readCertificate(_ bytes: [UInt8]) throws -> CertificateDetails {
        let details: CertificateDetails
        do {
            details = try CertificateDetails(uploaded: bytes)
        } catch {
            throw ManagementError.badRequest("Invalid certificate: \(error)")
        }
        guard details.notValidAfter >= Date() else {
            throw ManagementError.badRequest("The certificate expired on \(details.notValidAfter)")
        }
        return details
    }

    private func checkTier(_ tier: String) async throws {
        guard try await services.tierNames(.subscription).contains(tier) else {
            throw ManagementError.badRequest("'\(tier)' is not a subscription tier")
        }
    }

    private func metadata(_ entry: StoredClientCertificate, apiID: String) -> ClientCertificateMetadata {
        ClientCertificateMetadata(alias: entry.alias, apiID: apiID, tier: entry.tier, keyType: entry.keyType)
    }

    /// Stores the new list and, for a deployed API, writes its artifact; a storage failure puts the artifact back.
    private func replaceClientCertificates(of record: APIRecord, with certificates: [StoredClientCertificate]) async throws {
        var stored = record.stored
        stored.clientCertificates = certificates
        stored.definition.clientCertificates = certificates.map(\.entry)
        var updated = record
        updated.definition = stored.encoded()
        updated.updatedAt = Date()
        let deployment = APIDeploymentService(services: services, logger: logger)
        let written = try await deployment.redeploy(previous: record, updated: updated)
        do {
            try await services.storage.updateAPI(updated)
        } catch {
            if !written.isEmpty { _ = try? await deployment.redeploy(previous: updated, updated: record) }
            throw error
        }
    }
}
