extension CompiledValidateMediator {
    /// How Sluice's libxml2 schema compilation stands against one of the Xerces schema-factory features Synapse
    /// passes on (`SchemaFactory.setFeature`).
    private enum FeatureSupport {
        /// libxml2 always behaves as if the feature had this value.
        case fixed(Bool)
    }

    /// The features Xerces' schema factory recognizes, with what libxml2 does regardless of the setting.
    private static let knownFeatures: [String: FeatureSupport] = [
        // No file or network access, hardened parsing with size and depth limits: always on.
        "http://javax.xml.XMLConstants/feature/secure-processing": .fixed(true),
        // libxml2 checks particle restrictions and unique particle attribution whenever it compiles.
        "http://apache.org/xml/features/validation/schema-full-checking": .fixed(true),
        // A DOCTYPE is refused in every document Sluice parses.
        "http://apache.org/xml/features/disallow-doctype-decl": .fixed(true),
        // libxml2 skips a second import of a namespace already imported (Xerces' default too).
        "http://apache.org/xml/features/honour-all-schemaLocations": .fixed(false),
        "http://apache.org/xml/features/validate-annotations": .fixed(false),
        "http://apache.org/xml/features/generate-synthetic-annotations": .fixed(false),
        "http://apache.org/xml/features/continue-after-fatal-error": .fixed(false),
        "http://apache.org/xml/features/standard-uri-conformant": .fixed(false),
        "http://apache.org/xml/features/namespace-growth": .fixed(false),
        "http://apache.org/xml/features/internal/tolerate-duplicates": .fixed(false),
        "http://apache.org/xml/features/allow-java-encodings": .fixed(false),
        "http://apache.org/xml/features/internal/validation/schema/use-grammar-pool-only": .fixed(false),
        // Post-schema-validation infoset: Sluice does not change the message when validating, as Synapse does not.
        "http://apache.org/xml/features/validation/schema/augment-psvi": .fixed(true),
    ]

    /// `<feature>`: a name the schema factory does not recognize fails deployment, as Synapse's
    /// `SAXNotRecognizedException` does; a recognized one set to what libxml2 does anyway is honoured; any other
    /// setting deploys with a warning saying it has no effect.
    static func checkFeatures(
        _ features: [ValidateMediator.Feature],
        compilation: inout MediatorCompilation
    ) throws(MediationCompileError) {
        for feature in features {
            let value = feature.enabled ? "true" : "false"
            guard let support = knownFeatures[feature.name] else {
                throw compilation.error(
                    .invalidConfiguration(
                        className: "validate",
                        reason: "Error setting validation feature : \(feature.name) to : \(value) (not a feature of the XML Schema factory)"
                    )
                )
            }
            switch support {
            case .fixed(let libxml2Value) where libxml2Value != feature.enabled:
                compilation.warn(
                    "<validate> <feature name=\"\(feature.name)\" value=\"\(value)\"/> has no effect: "
                        + "Sluice's schema compilation (libxml2) always behaves as if it were \(libxml2Value)"
                )
            case .fixed:
                break
            }
        }
    }
}
