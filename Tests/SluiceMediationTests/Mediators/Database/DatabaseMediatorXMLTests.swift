import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `dblookup`/`dbreport` read and written back: every connection form, statements with parameters and results, and
/// what Synapse's factories refuse.
@Suite struct DatabaseMediatorXMLTests {
    static let lookup = """
        <dblookup>
          <connection><pool>
            <driver>org.postgresql.Driver</driver>
            <url>jdbc:postgresql://127.0.0.1:5432/shop</url>
            <user>shop</user>
            <password>s3cret</password>
            <property name="maxactive" value="4"/>
            <property name="autocommit" value="true"/>
          </pool></connection>
          <statement>
            <sql><![CDATA[SELECT price, name FROM items WHERE id = ? AND region < ?]]></sql>
            <parameter xmlns:o="urn:orders" expression="//o:item/@id" type="INTEGER"/>
            <parameter value="eu" type="VARCHAR"/>
            <result name="item_price" column="price"/>
            <result name="item_name" column="2"/>
          </statement>
        </dblookup>
        """

    @Test func aLookupWithItsOwnPoolRoundTrips() throws {
        let read = try #require(try MediatorXML.roundTrip(Self.lookup).first?.as(DBLookupMediator.self))
        guard case .pool(let pool) = read.definition.connection else {
            Issue.record("expected a pool")
            return
        }
        #expect(pool.driver == .value("org.postgresql.Driver"))
        #expect(pool.url == .value("jdbc:postgresql://127.0.0.1:5432/shop"))
        #expect(pool.password == .value("s3cret"))
        #expect(pool.properties.map(\.name) == ["maxactive", "autocommit"])
        let statement = try #require(read.definition.statements.first)
        #expect(statement.sql == "SELECT price, name FROM items WHERE id = ? AND region < ?")
        #expect(statement.parameters.map(\.type) == [.integer, .varchar])
        #expect(statement.parameters[1].value == .literal("eu"))
        guard case .expression(let expression) = statement.parameters[0].value else {
            Issue.record("expected an expression")
            return
        }
        #expect(expression.namespaces == ["o": "urn:orders"])
        #expect(statement.results == [.init(name: "item_price", column: "price"), .init(name: "item_name", column: "2")])
    }

    @Test func aReportOnADataSourceWithJNDISettingsAndRegistryKeysRoundTrips() throws {
        let report = try #require(
            try MediatorXML.roundTrip(
                """
                <dbreport useTransaction="true">
                  <connection><pool><dsName>jdbc/Orders</dsName><icClass>com.example.Factory</icClass>
                    <url>ldap://jndi</url><user>u</user><password>p</password></pool></connection>
                  <statement><sql>INSERT INTO log (id, at) VALUES (?, ?)</sql>
                    <parameter expression="get-property('id')" type="BIGINT"/>
                    <parameter value="2024-01-02 03:04:05" type="TIMESTAMP"/></statement>
                  <statement><sql>DELETE FROM queue</sql></statement>
                </dbreport>
                """
            ).first?.as(DBReportMediator.self)
        )
        #expect(report.useTransaction == true)
        #expect(
            report.definition.connection
                == .dataSource(
                    DataSourceReference(
                        name: "jdbc/Orders",
                        initialContextClass: "com.example.Factory",
                        providerURL: "ldap://jndi",
                        user: "u",
                        password: "p"
                    )
                )
        )
        #expect(report.definition.statements.count == 2)
        let keyed = try #require(
            try MediatorXML.roundTrip(
                #"<dbreport><connection><pool><driver key="conf:db/driver"/><url key="conf:db/url"/>"#
                    + #"<user>u</user><password key="conf:db/password"/></pool></connection></dbreport>"#
            ).first?.as(DBReportMediator.self)
        )
        guard case .pool(let pool) = keyed.definition.connection else {
            Issue.record("expected a pool")
            return
        }
        #expect(pool.driver == .key("conf:db/driver"))
        #expect(pool.user == .value("u"))
        #expect(keyed.useTransaction == nil)
    }

    @Test func whatSynapseRefusesIsRefusedWithTheReason() {
        let pool = "<connection><pool><driver>org.sqlite.JDBC</driver><url>jdbc:sqlite:x.db</url><user/><password/>"
            + "</pool></connection>"
        #expect(MediatorXML.problems("<dblookup/>").first?.contains("needs <connection><pool>") == true)
        #expect(
            MediatorXML.problems("<dblookup><connection><pool><user>u</user></pool></connection></dblookup>")
                .first?.contains("<pool> needs a <driver> or a <dsName>") == true
        )
        #expect(
            MediatorXML.problems(
                "<dbreport><connection><pool><driver>org.sqlite.JDBC</driver><user/><password/></pool></connection></dbreport>"
            ) == ["Unable to read configuration value for : url (the <pool> needs a <url>)"]
        )
        #expect(
            MediatorXML.problems(
                "<dblookup>\(pool)<statement><sql>SELECT 1 WHERE 1 = ?</sql><parameter value=\"1\" type=\"BOOLEAN\"/>"
                    + "</statement></dblookup>"
            ).first?.hasPrefix("Unknown or unsupported JDBC type : BOOLEAN") == true
        )
        #expect(
            MediatorXML.problems(
                "<dblookup>\(pool)<statement><sql>SELECT 1</sql><parameter value=\"1\"/></statement></dblookup>"
            ).first?.hasPrefix("Unknown or unsupported JDBC type : null") == true
        )
        #expect(
            MediatorXML.problems("<dblookup>\(pool)<statement><sql>SELECT 1</sql><result name=\"x\"/></statement></dblookup>")
                == ["a <result> of <dblookup> needs both 'name' and 'column'"]
        )
        #expect(
            MediatorXML.problems("<dblookup>\(pool)<statement><parameter value=\"1\" type=\"INTEGER\"/></statement></dblookup>")
                == ["a <statement> of <dblookup> needs an <sql>"]
        )
        #expect(
            MediatorXML.problems(
                "<dblookup>\(pool)<statement><sql>SELECT ?</sql><parameter value=\"1\" expression=\"$.a\" type=\"INTEGER\"/>"
                    + "</statement></dblookup>"
            ) == ["a <parameter> of <dblookup> has both 'value' and 'expression'; use one"]
        )
    }

    @Test func theJDBCURLsSluiceSpeaksAreRead() {
        #expect(
            DatabaseTarget(jdbcURL: "jdbc:postgresql://db.internal:6432/orders?sslmode=disable&user=x")
                == .postgresql(host: "db.internal", port: 6432, database: "orders", sslMode: "disable")
        )
        #expect(
            DatabaseTarget(jdbcURL: "jdbc:postgresql://db/orders?ssl=true")
                == .postgresql(host: "db", port: 5432, database: "orders", sslMode: "require")
        )
        #expect(
            DatabaseTarget(jdbcURL: "jdbc:postgresql:orders")
                == .postgresql(host: "localhost", port: 5432, database: "orders", sslMode: nil)
        )
        #expect(DatabaseTarget(jdbcURL: "jdbc:sqlite:/var/lib/x.db") == .sqlite(path: "/var/lib/x.db"))
        #expect(DatabaseTarget(jdbcURL: "jdbc:sqlite::memory:") == .sqlite(path: ":memory:"))
        #expect(DatabaseTarget(jdbcURL: "jdbc:mysql://localhost:3306/x") == nil)
        #expect(DatabaseTarget(jdbcURL: "jdbc:postgresql://db:port/x") == nil)
    }

    @Test func placeholdersAreCountedAndNumberedOutsideQuotesAndComments() {
        let sql = "SELECT '?', \"a?\" FROM t -- why?\nWHERE a = ? /* ? */ AND b = ? AND c ?? 'k''?'"
        #expect(JDBCPlaceholders.count(in: sql) == 2)
        #expect(
            JDBCPlaceholders.numbered(sql)
                == "SELECT '?', \"a?\" FROM t -- why?\nWHERE a = $1 /* ? */ AND b = $2 AND c ? 'k''?'"
        )
        #expect(JDBCPlaceholders.numbered("INSERT INTO t VALUES (?,?,?)") == "INSERT INTO t VALUES ($1,$2,$3)")
    }
}
