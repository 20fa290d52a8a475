extension StoreTemplates {
    /// The API page's definition card and try-it console (partial `store/tryit`, inside `{{#tryIt}}`). The form
    /// works without script; `portal.js` copies the chosen resource's target into the path field.
    static let tryItConsole = """
        <section class="card" id="definition"><h2>Definition</h2>
          <p class="actions small"><a class="button secondary" href="/store/apis/{{id}}/openapi.json" data-testid="openapi-json">Download JSON</a>
          <a class="button secondary" href="/store/apis/{{id}}/openapi.yaml" data-testid="openapi-yaml">Download YAML</a></p>
          <details><summary>OpenAPI document</summary><pre data-testid="openapi-document">{{openAPI}}</pre></details>
        </section>
        <section class="card" id="try-it"><h2>Try it</h2>
          {{#layout.signedIn}}{{#hasApplications}}
          <form method="post" action="/store/apis/{{id}}/try-it#try-it" class="stacked" data-testid="try-it-form">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="try-resource">Resource</label>
            <select id="try-resource" name="resource" data-try-path="try-path">{{#resources}}<option value="{{value}}" data-target="{{target}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/resources}}</select></div>
            <div class="field"><label for="try-path">Path (fill in the {parameters})</label>
            <input type="text" id="try-path" name="path" value="{{path}}" required></div>
            <div class="field"><label for="try-query">Query</label>
            <input type="text" id="try-query" name="query" value="{{query}}" placeholder="name=value&amp;other=value"></div>
            <div class="field"><label for="try-headers">Headers (one Name: value per line)</label>
            <textarea id="try-headers" name="headers" rows="3" placeholder="Accept: application/json">{{headers}}</textarea></div>
            <div class="field"><label for="try-body">Body</label>
            <textarea id="try-body" name="body" rows="5">{{body}}</textarea></div>
            <div class="field"><label for="try-application">Application (a token of its keys is sent)</label>
            <select id="try-application" name="applicationId">{{#applications}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/applications}}</select></div>
            <div class="field"><label for="try-key-type">Keys</label>
            <select id="try-key-type" name="keyType"><option value="PRODUCTION">Production</option><option value="SANDBOX"{{#sandbox}} selected{{/sandbox}}>Sandbox</option></select></div>
            <div><button type="submit" data-testid="try-it-send">Send</button></div>
          </form>
          {{/hasApplications}}
          {{^hasApplications}}<p class="muted">Subscribe an application to this API to try it with that application's token.</p>{{/hasApplications}}{{/layout.signedIn}}
          {{^layout.signedIn}}<p class="muted">Sign in and subscribe an application to try the API.</p>{{/layout.signedIn}}
          {{#result}}<div class="try-result" data-testid="try-it-result">
            {{#error}}<div class="flash error" role="alert" data-testid="try-it-error">{{error}}</div>{{/error}}
            {{#request}}<p class="small muted"><code>{{request}}</code></p>{{/request}}
            {{#status}}<h3>Status <span class="badge {{#isSuccess}}published{{/isSuccess}}{{^isSuccess}}blocked{{/isSuccess}}" data-testid="try-it-status">{{status}}</span></h3>
            <h3>Headers</h3><div class="table-wrap"><table data-testid="try-it-headers"><tbody>{{#headers}}<tr><th scope="row">{{name}}</th><td><code>{{value}}</code></td></tr>{{/headers}}</tbody></table></div>
            <h3>Body{{#truncated}} <span class="muted small">(first MiB)</span>{{/truncated}}</h3><pre data-testid="try-it-body">{{body}}</pre>{{/status}}
          </div>{{/result}}
        </section>
        """
}
