internal import CLibXML2
import SluiceModel
internal import SluiceXML

/// `<builder>` ready to run: builds the buffered body with the builder for its content type, as WSO2's relay
/// BuilderMediator does. A body that does not build is logged and passes on unbuilt (WSO2 warns "Error occurred
/// while trying to build the message, trying to send the message through"), so this mediator never faults; a
/// mediator that later reads the body fails then, as in Synapse.
struct CompiledBuilderMediator: CompiledMediator {
    /// The builder for every content type (`<builder class=...>`), when given.
    let everyContentType: MessageBuilderClass.Format?
    /// Builders by lower-cased media type.
    let byContentType: [String: MessageBuilderClass.Format]

    init(_ node: BuilderMediator, compilation: MediatorCompilation) throws(MediationCompileError) {
        // The reader accepted only known classes; a node built in code may still name others.
        if let specified = node.specified {
            guard let format = MessageBuilderClass.builder(named: specified.builderClass) else {
                throw compilation.error(.unsupported(MessageBuilderClass.unknownBuilder(specified.builderClass)))
            }
            everyContentType = format
        } else {
            everyContentType = nil
        }
        var byContentType: [String: MessageBuilderClass.Format] = [:]
        for builder in node.messageBuilders {
            guard let format = MessageBuilderClass.builder(named: builder.builderClass) else {
                throw compilation.error(.unsupported(MessageBuilderClass.unknownBuilder(builder.builderClass)))
            }
            // The first entry for a content type wins, as WSO2 keeps the first builder added for it.
            let key = builder.contentType.trimmingWhitespace().lowercased()
            if byContentType[key] == nil { byContentType[key] = format }
        }
        self.byContentType = byContentType
    }

    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let mediaType = context.declaredContentType
        let format = everyContentType ?? byContentType[mediaType] ?? context.declaredFormat.builderFormat
        guard let text = context.body.text, !text.trimmingWhitespace().isEmpty else { return .proceed }
        switch format {
        case .json:
            do {
                context.parsedBody = .json(try JSONParser.parse(text))
            } catch {
                Self.warnUnbuilt(mediaType, reason: error.description, &context)
            }
        case .xml:
            do {
                let parsed = try HardenedXMLParser.parse(text)
                xmlFreeDoc(parsed.document)
                // Built as XML: a JSON path then finds nothing, rather than failing on a JSON Content-Type.
                context.parsedBody = .notJSON
            } catch {
                Self.warnUnbuilt(mediaType, reason: error.message, &context)
            }
        case .form, .text, .binary:
            // Kept as the text or bytes they are: nothing to parse.
            break
        }
        return .proceed
    }

    private static func warnUnbuilt(_ mediaType: String, reason: String, _ context: inout MessageContext) {
        context.logger.warning(
            "Error occurred while trying to build the message, trying to send the message through",
            metadata: ["sluice.contentType": .string(mediaType), "sluice.fault.detail": .string(reason)]
        )
    }
}

extension MessageContext.DeclaredFormat {
    /// The builder Sluice uses for a content type no `<messageBuilder>` names.
    fileprivate var builderFormat: MessageBuilderClass.Format {
        switch self {
        case .json: .json
        case .xml: .xml
        case .other: .text
        }
    }
}
