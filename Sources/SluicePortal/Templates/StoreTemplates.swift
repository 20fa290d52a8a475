/// The Store's pages.
enum StoreTemplates {
    static let all: [String: String] = [
        "store/home": home
    ]

    static let home = """
        {{<shared/layout}}
        {{$content}}
        <h1>APIs</h1>
        <div class="grid">
        {{#apis}}<article class="card api-card"><h3><a href="/store/apis/{{id}}">{{name}}</a></h3><span class="meta">{{version}} · {{provider}}</span></article>{{/apis}}
        </div>
        {{^apis}}<p class="empty">No APIs are published yet.</p>{{/apis}}
        {{/content}}
        {{/shared/layout}}
        """
}
