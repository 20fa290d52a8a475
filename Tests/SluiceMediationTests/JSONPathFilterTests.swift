import SluiceMediation
import Testing

/// `[?(...)]` filters with Jayway JSONPath's semantics, over a shop of our own.
@Suite struct JSONPathFilterTests {
    static let shop = """
        {"shop":{"records":[
          {"genre":"jazz","artist":"Nina Simone","title":"Pastel Blues","price":9.5,"year":1965},
          {"genre":"rock","artist":"Can","title":"Tago Mago","price":21,"catalog":"UAS-29211","year":1971},
          {"genre":"jazz","artist":"Alice Coltrane","title":"Journey in Satchidananda","price":14.25,
           "catalog":null,"tags":["spiritual","harp"]},
          {"genre":"folk","artist":"Vashti Bunyan","title":"Just Another Diamond Day","price":"12","year":"1970"}
        ],"budget":10,"favourite":"Can","genres":["jazz","folk"]}}
        """

    private func titles(_ path: String) throws -> [String] {
        let root = try JSONParser.parse(Self.shop)
        return try JSONPath(path).select(in: root).compactMap { $0["title"]?.textValue }
    }

    @Test(arguments: [
        ("$.shop.records[?(@.price < 10)]", ["Pastel Blues"]),
        ("$.shop.records[?(@.price >= 14.25)]", ["Tago Mago", "Journey in Satchidananda"]),
        ("$.shop.records[?(@.price<=9.5)]", ["Pastel Blues"]),
        ("$.shop.records[?(@.genre == 'jazz')]", ["Pastel Blues", "Journey in Satchidananda"]),
        ("$.shop.records[?(@.genre != \"jazz\")]", ["Tago Mago", "Just Another Diamond Day"]),
        // A member that exists, even holding null; and one that does not.
        ("$.shop.records[?(@.catalog)]", ["Tago Mago", "Journey in Satchidananda"]),
        ("$.shop.records[?(!@.catalog)]", ["Pastel Blues", "Just Another Diamond Day"]),
        ("$.shop.records[?(@.catalog == null)]", ["Journey in Satchidananda"]),
        // `$` is the whole document.
        ("$.shop.records[?(@.price < $.shop.budget)]", ["Pastel Blues"]),
        ("$.shop.records[?(@.artist == $.shop.favourite)]", ["Tago Mago"]),
        ("$.shop.records[?(@.genre in $.shop.genres)]",
         ["Pastel Blues", "Journey in Satchidananda", "Just Another Diamond Day"]),
        ("$.shop.records[?(@.genre in ['rock', 'folk'])]", ["Tago Mago", "Just Another Diamond Day"]),
        ("$.shop.records[?(@.genre nin ['rock','folk'])]", ["Pastel Blues", "Journey in Satchidananda"]),
        ("$.shop.records[?(@.artist =~ /.*coltrane/i)]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.artist =~ /.*coltrane/)]", []),
        ("$.shop.records[?(@.artist =~ /Can/)]", ["Tago Mago"]),
        // Whole-text match, as Java's Matcher.matches: "Ca" does not match "Can".
        ("$.shop.records[?(@.artist =~ /Ca/)]", []),
        ("$.shop.records[?(@.genre == 'jazz' && @.price > 10)]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.genre == 'rock' || @.price < 10)]", ["Pastel Blues", "Tago Mago"]),
        ("$.shop.records[?(!(@.genre == 'jazz' || @.genre == 'rock'))]", ["Just Another Diamond Day"]),
        ("$.shop.records[?((@.genre == 'jazz' || @.genre == 'rock') && @.year > 1966)]", ["Tago Mago"]),
        ("$.shop.records[?(@.tags contains 'harp')]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.tags size 2)]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.tags empty false)]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.tags anyof ['harp','organ'])]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.tags subsetof ['harp','spiritual','organ'])]", ["Journey in Satchidananda"]),
        ("$.shop.records[?(@.tags noneof ['organ'])]", ["Journey in Satchidananda"]),
        ("$..records[?(@.year === 1970)]", []),
        ("$..records[?(@.year === '1970')]", ["Just Another Diamond Day"]),
        ("$.shop.records[?(@.genre == 'jazz')][?(@.price > 10)]", ["Journey in Satchidananda"]),
    ])
    func filtersSelectAsJaywaySelects(path: String, expected: [String]) throws {
        #expect(try titles(path) == expected)
    }

    /// Jayway compares only numbers with numbers and strings with strings for order, so "12" (a string) is not
    /// below 13; `==` reads the string on the right as a number when the left is one, and a number as text when the
    /// left is a string.
    @Test func typeRulesAreJayways() throws {
        #expect(try titles("$.shop.records[?(@.price < 13)]") == ["Pastel Blues"])
        #expect(try titles("$.shop.records[?(@.price > '10')]") == ["Just Another Diamond Day"])
        #expect(try titles("$.shop.records[?(@.price == '21')]") == ["Tago Mago"])
        #expect(try titles("$.shop.records[?(@.year == 1970)]") == ["Just Another Diamond Day"])
        #expect(try titles("$.shop.records[?(@.year == '1965.0')]") == ["Pastel Blues"])
        #expect(try titles("$.shop.records[?(@.year == true)]") == [])
        // A missing member equals nothing, so `!=` holds for it.
        #expect(try titles("$.shop.records[?(@.catalog != 'UAS-29211')]")
            == ["Pastel Blues", "Journey in Satchidananda", "Just Another Diamond Day"])
    }

    /// A filter after a definite path applies to the object itself; primitives give nothing.
    @Test func aFilterOnAnObjectTestsTheObject() throws {
        let root = try JSONParser.parse(Self.shop)
        #expect(try JSONPath("$.shop[?(@.budget == 10)].favourite").select(in: root) == [.string("Can")])
        #expect(try JSONPath("$.shop[?(@.budget == 11)].favourite").select(in: root).isEmpty)
        #expect(try JSONPath("$.shop.budget[?(@ == 10)]").select(in: root).isEmpty)
        #expect(try JSONPath("$.shop.genres[?(@ == 'folk')]").select(in: root) == [.string("folk")])
    }

    /// A filter makes the path indefinite: json-eval gives an array even for one match.
    @Test func aFilteredPathGivesAnArray() throws {
        let root = try JSONParser.parse(Self.shop)
        let value = try JSONPath("$.shop.records[?(@.price > 20)].artist").evaluate(in: root)
        #expect(value?.description == #"["Can"]"#)
        #expect(try JSONPath("$.shop.records[?(@.price > 100)]").evaluate(in: root) == nil)
    }

    /// Jayway stops reading after a bracket token that ends one character before the end of the path, so WSO2's
    /// own test artifact `$trp:prop.store.book[?(@.price > 20)])` (one ')' too many) deploys and works.
    @Test func oneCharacterAfterTheLastBracketIsIgnoredAsJaywayIgnoresIt() throws {
        let root = try JSONParser.parse(Self.shop)
        let lenient = try JSONPath("$.shop.records[?(@.price > 20)])")
        #expect(lenient.select(in: root) == (try JSONPath("$.shop.records[?(@.price > 20)]").select(in: root)))
        #expect(try JSONPath("$.shop.genres[1])").evaluate(in: root) == .string("folk"))
        // Two characters are read as a member name, as Jayway reads them: nothing is selected.
        #expect(try JSONPath("$.shop.genres[1]))").evaluate(in: root) == nil)
    }

    @Test func propertyPathsNameTheirProperty() throws {
        let path = try JSONPath("$trp:prop.store.book[?(@.price > 20)]")
        #expect(path.propertyRoot?.scope == .transport && path.propertyRoot?.name == "prop")
        #expect(try JSONPath("$ctx:original.[0]").steps == [.index(0)])
        #expect(try JSONPath("$axis2:my-prop").propertyRoot?.name == "my-prop")
        #expect(try JSONPath("$.store").propertyRoot == nil)
    }

    @Test func scriptExpressionsAreRefusedWithTheirName() {
        #expect {
            try JSONPath("$.a[(@.length-1)]")
        } throws: { error in
            (error as? JSONPathError)?.reason
                == "script expressions '[(...)]' are not supported (Jayway JSONPath, which Synapse uses, has none)"
        }
    }

    @Test func badFiltersSayWhere() {
        #expect {
            try JSONPath("$.a[?(@.b > 1]")
        } throws: { error in
            (error as? JSONPathError)?.reason == "unexpected ']' where the filter expects closing the filter with ')'"
        }
        #expect {
            try JSONPath("$.a[?(@.b type 'x')]")
        } throws: { error in
            (error as? JSONPathError)?.reason == "the filter operator 'type' is not supported by Sluice"
        }
    }
}
