import SluiceControlPlane

extension APIManagerServices {
    /// Reads the JSON bodies of the REST API within the configured body limit.
    var decoder: StrictJSONDecoder { StrictJSONDecoder(maximumBodySize: configuration.maximumBodySize) }
}
