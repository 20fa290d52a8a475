import SluiceModel
internal import SluiceXML

extension BuilderMediator {
    static func read(from element: XMLElementNode, reader: ArtifactReader) -> BuilderMediator? {
        reader.ignoreText(in: element)
        // WSO2's BuilderMediatorFactory prefers `class=` on <builder> and then reads no <messageBuilder>.
        if let builderClass = element.attribute("class") {
            guard let formatterClass = element.attribute("formatterClass") else {
                reader.report("<builder class=\"...\"> needs a formatterClass attribute", at: element)
                return nil
            }
            guard checkClasses(builderClass, formatterClass, at: element, reader: reader) else { return nil }
            for child in element.childElements { reader.ignoreUnknown(child, in: element) }
            return BuilderMediator(specified: SpecifiedBuilder(builderClass: builderClass, formatterClass: formatterClass))
        }
        var ok = true
        var builders: [MessageBuilder] = []
        for child in element.childElements {
            guard reader.isSynapseNamespace(child), child.localName == "messageBuilder" else {
                reader.ignoreUnknown(child, in: element)
                continue
            }
            reader.ignoreText(in: child)
            reader.rejectChildren(of: child)
            guard let contentType = reader.required("contentType", of: child),
                let builderClass = reader.required("class", of: child)
            else {
                ok = false
                continue
            }
            let formatterClass = child.attribute("formatterClass")
            guard checkClasses(builderClass, formatterClass, at: child, reader: reader) else {
                ok = false
                continue
            }
            builders.append(MessageBuilder(contentType: contentType, builderClass: builderClass, formatterClass: formatterClass))
        }
        guard ok else { return nil }
        return BuilderMediator(messageBuilders: builders)
    }

    private static func checkClasses(
        _ builderClass: String,
        _ formatterClass: String?,
        at element: XMLElementNode,
        reader: ArtifactReader
    ) -> Bool {
        guard MessageBuilderClass.builder(named: builderClass) != nil else {
            reader.report(MessageBuilderClass.unknownBuilder(builderClass), at: element)
            return false
        }
        if let formatterClass, MessageBuilderClass.formatter(named: formatterClass) == nil {
            reader.report(MessageBuilderClass.unknownFormatter(formatterClass), at: element)
            return false
        }
        return true
    }

    func write(to writer: XMLWriter) {
        if let specified {
            writer.element("builder", ["class": specified.builderClass, "formatterClass": specified.formatterClass])
            return
        }
        writer.element("builder") {
            for builder in messageBuilders {
                writer.element(
                    "messageBuilder",
                    [
                        "contentType": builder.contentType,
                        "class": builder.builderClass,
                        "formatterClass": builder.formatterClass,
                    ]
                )
            }
        }
    }
}
