/// How WSO2's publisher names gateway artifacts and their files.
public enum ArtifactNaming {
    /// The tenant domain of the super tenant, whose users are written without `@domain`.
    public static let superTenantDomain = "carbon.super"

    /// `provider` with `@` replaced by `-AT-`, as artifact and file names spell tenant users.
    public static func providerToken(_ provider: String) -> String {
        provider.replacing("@", with: "-AT-")
    }

    /// The tenant domain of `provider` (`user@tenant.com` → `tenant.com`), nil for the super tenant.
    public static func tenantDomain(of provider: String) -> String? {
        guard let at = provider.lastIndex(of: "@") else { return nil }
        let domain = String(provider[provider.index(after: at)...])
        return domain.isEmpty || domain == superTenantDomain ? nil : domain
    }

    /// `<provider>--<name>`, the `name` attribute of the `<api>` element.
    public static func apiName(provider: String, name: String) -> String {
        "\(providerToken(provider))--\(name)"
    }

    /// `<provider>--<name>_v<version>.xml`, the file of a versioned artifact.
    public static func fileName(provider: String, name: String, version: String) -> String {
        "\(apiName(provider: provider, name: name))_v\(version).xml"
    }

    /// `<provider>--<name>.xml`, the file of the default-version artifact.
    public static func defaultVersionFileName(provider: String, name: String) -> String {
        "\(apiName(provider: provider, name: name)).xml"
    }
}
