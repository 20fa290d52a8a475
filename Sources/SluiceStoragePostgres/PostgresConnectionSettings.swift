import Foundation
public import PostgresNIO
import NIOSSL

/// Where and how to reach the PostgreSQL server: parsed from a `postgres://` URL as libpq reads it.
///
/// `postgres://user[:password]@host[:port]/database?sslmode=...&sslrootcert=...&application_name=...`
/// - `sslmode`: `disable`, `prefer` (the default: TLS when the server offers it, without checking the
///   certificate, as libpq does), `require` (TLS, certificate unchecked), `verify-ca` (TLS, certificate checked
///   against `sslrootcert` or the system roots) or `verify-full` (also the host name).
/// - The password comes from the URL, else from the environment (`SLUICE_DATABASE_PASSWORD`, then `PGPASSWORD`).
/// - `pool_max`: the most pooled connections (20 by default).
public struct PostgresConnectionSettings: Sendable {
    /// The server's host name or address.
    public var host: String
    /// Its port, 5432 by default.
    public var port: Int
    /// The user to log in as.
    public var username: String
    /// The password; nil for trust or peer authentication.
    public var password: String?
    /// The database name; the user name when the URL gives none.
    public var database: String
    /// The `sslmode` parameter.
    public var sslMode: SSLMode
    /// A PEM file of trusted roots for `verify-ca` and `verify-full`.
    public var rootCertificatePath: String?
    /// Reported to the server (`pg_stat_activity.application_name`).
    public var applicationName: String
    /// The most connections in the pool.
    public var maximumConnections: Int

    /// libpq's TLS modes.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Environment variables that may hold the password, in order.
    public static let passwordVariables = ["SLUICE_DATABASE_PASSWORD", "PGPASSWORD"]

    /// Parses a URL.
    /// - Parameters:
    ///   - url: `postgres://` or `postgresql://` URL.
    ///   - environment: Where a password missing from the URL is looked up.
    /// - Throws: ``PostgresSettingsError`` naming what is wrong (never the password).
    public init(url: String, environment: [String: String] = [:]) throws(PostgresSettingsError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else { throw PostgresSettingsError("the database URL must look like postgres://user@host:5432/database") }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresSettingsError("the database URL names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresSettingsError("the database URL names no user (postgres://USER@host/database)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user
        let fromURL = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.password = fromURL ?? Self.passwordVariables.lazy.compactMap { environment[$0] }.first
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        var sslMode = SSLMode.prefer
        var rootCertificatePath: String?
        var applicationName = "sluice"
        var maximumConnections = 20
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PostgresSettingsError("unknown sslmode '\(value)': expected one of \(modes)")
                }
                sslMode = mode
            case "sslrootcert": rootCertificatePath = value
            case "application_name": applicationName = value
            case "pool_max":
                guard let count = Int(value), (1...1000).contains(count) else {
                    throw PostgresSettingsError("pool_max must be a number from 1 to 1000")
                }
                maximumConnections = count
            default:
                throw PostgresSettingsError("unknown database URL parameter '\(item.name)'")
            }
        }
        self.sslMode = sslMode
        self.rootCertificatePath = rootCertificatePath
        self.applicationName = applicationName
        self.maximumConnections = maximumConnections
    }

    /// The pooled client's configuration.
    /// - Throws: ``PostgresSettingsError`` when the root certificate file cannot be read.
    public func clientConfiguration() throws(PostgresSettingsError) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: try tls()
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return configuration
    }

    /// The same server for a single connection (the notification listener).
    /// - Throws: ``PostgresSettingsError`` when the root certificate file cannot be read.
    public func connectionConfiguration() throws(PostgresSettingsError) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: try connectionTLS()
        )
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return configuration
    }

    /// The same settings for another database on the server (tests make one database per case).
    public func with(database: String) -> PostgresConnectionSettings {
        var copy = self
        copy.database = database
        return copy
    }

    private func tlsConfiguration() throws(PostgresSettingsError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificatePath {
            guard FileManager.default.isReadableFile(atPath: rootCertificatePath) else {
                throw PostgresSettingsError("cannot read sslrootcert \(rootCertificatePath)")
            }
            tls.trustRoots = .file(rootCertificatePath)
        }
        return tls
    }

    private func tls() throws(PostgresSettingsError) -> PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try tlsConfiguration())
        case .require, .verifyCA, .verifyFull: .require(try tlsConfiguration())
        }
    }

    private func connectionTLS() throws(PostgresSettingsError) -> PostgresConnection.Configuration.TLS {
        do {
            switch sslMode {
            case .disable: return .disable
            case .prefer: return .prefer(try NIOSSLContext(configuration: try tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: return .require(try NIOSSLContext(configuration: try tlsConfiguration()))
            }
        } catch let error as PostgresSettingsError {
            throw error
        } catch {
            throw PostgresSettingsError("cannot set up TLS to the database: \(error)")
        }
    }
}

/// A database URL or TLS setting that cannot work.
public struct PostgresSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without the password.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
