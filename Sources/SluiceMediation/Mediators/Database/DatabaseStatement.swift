public import SluiceModel
internal import SluiceXML

/// A `<statement>` of `dblookup`/`dbreport`: the SQL (JDBC text, `?` placeholders), its parameters in placeholder
/// order, and (for `dblookup`) which columns of the first row become message properties.
public struct DatabaseStatement: Sendable, Hashable {
    /// `<parameter value= | expression= type=>`: bound to the next `?`, never spliced into the SQL.
    public struct Parameter: Sendable, Hashable {
        public var value: ValueSource
        public var type: JDBCType

        public init(value: ValueSource, type: JDBCType) {
            self.value = value
            self.type = type
        }
    }

    /// `<result name= column=>`: the column (a name, or a 1-based number) whose value goes to property `name`.
    public struct Result: Sendable, Hashable {
        public var name: String
        public var column: String

        public init(name: String, column: String) {
            self.name = name
            self.column = column
        }
    }

    public var sql: String
    public var parameters: [Parameter]
    public var results: [Result]

    public init(sql: String, parameters: [Parameter] = [], results: [Result] = []) {
        self.sql = sql
        self.parameters = parameters
        self.results = results
    }

    static func read(_ element: XMLElementNode, owner: String, reader: ArtifactReader) -> DatabaseStatement? {
        reader.ignoreText(in: element)
        var ok = true
        var sql: String?
        var parameters: [Parameter] = []
        var results: [Result] = []
        for child in element.childElements {
            guard reader.isSynapseChild(child, of: element) else {
                ok = false
                continue
            }
            switch child.localName {
            case "sql":
                sql = child.textContent.trimmingSpaces()
            case "parameter":
                switch reader.valueSource(of: child, optional: true, owner: "a <parameter> of <\(owner)>") {
                case .value(let value):
                    guard let type = readType(child, reader: reader) else {
                        ok = false
                        continue
                    }
                    parameters.append(Parameter(value: value, type: type))
                case .absent:
                    // Synapse's factory skips such a parameter, so the placeholder gets no value when it runs.
                    reader.warn(
                        "a <parameter> of <\(owner)> without 'value' or 'expression' is ignored, as Synapse ignores it",
                        at: child
                    )
                case .invalid:
                    ok = false
                }
            case "result":
                guard let name = child.attribute("name"), let column = child.attribute("column") else {
                    reader.report("a <result> of <\(owner)> needs both 'name' and 'column'", at: child)
                    ok = false
                    continue
                }
                results.append(Result(name: name, column: column))
            default:
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        guard let sql else {
            reader.report("a <statement> of <\(owner)> needs an <sql>", at: element)
            return nil
        }
        guard ok else { return nil }
        return DatabaseStatement(sql: sql, parameters: parameters, results: results)
    }

    private static func readType(_ element: XMLElementNode, reader: ArtifactReader) -> JDBCType? {
        let text = element.attribute("type") ?? "null"
        guard let type = JDBCType(rawValue: text) else {
            reader.report("Unknown or unsupported JDBC type : \(text) (use one of "
                + JDBCType.allCases.map(\.rawValue).joined(separator: ", ") + ")", at: element)
            return nil
        }
        return type
    }

    func write(to writer: XMLWriter) {
        writer.element("statement") {
            writer.textElement("sql", sql)
            for parameter in parameters {
                switch parameter.value {
                case .literal(let value):
                    writer.element("parameter", ["value": value, "type": parameter.type.rawValue])
                case .expression(let expression):
                    writer.element(
                        "parameter",
                        ["expression": expression.source, "type": parameter.type.rawValue],
                        namespaces: expression.namespaces
                    )
                }
            }
            for result in results {
                writer.element("result", ["name": result.name, "column": result.column])
            }
        }
    }
}

/// The JDBC types a statement parameter may name (Synapse's `Statement.Parameter`, `java.sql.Types` names).
public enum JDBCType: String, Sendable, Hashable, CaseIterable {
    case char = "CHAR", varchar = "VARCHAR", longVarchar = "LONGVARCHAR"
    case numeric = "NUMERIC", decimal = "DECIMAL"
    case bit = "BIT"
    case tinyInt = "TINYINT", smallInt = "SMALLINT", integer = "INTEGER", bigInt = "BIGINT"
    case real = "REAL", float = "FLOAT", double = "DOUBLE"
    case date = "DATE", time = "TIME", timestamp = "TIMESTAMP"
}
