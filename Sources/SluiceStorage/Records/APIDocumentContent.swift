public import Foundation

/// The stored content of a document as bytes: an uploaded file (`FILE` documents) or inline text.
public struct APIDocumentContent: Sendable, Hashable {
    public var data: Data
    /// The media type the uploader gave, if any.
    public var contentType: String?
    /// The uploaded file's name, if any.
    public var fileName: String?

    /// Creates content.
    public init(data: Data, contentType: String? = nil, fileName: String? = nil) {
        self.data = data
        self.contentType = contentType
        self.fileName = fileName
    }
}
