extension PublisherTemplates {
    /// `publisher/import`: create an API from an OpenAPI or Swagger document pasted (or loaded from a file by the
    /// portal's script) into the form.
    static let importForm = """
        {{<shared/layout}}
        {{$content}}
        <div class="page-head"><div>
          <p class="small"><a href="/publisher">APIs</a></p><h1>Import an OpenAPI document</h1>
        </div></div>
        {{#hasErrors}}<div class="flash error" role="alert" data-testid="form-errors"><strong>The API was not created:</strong><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
        <form method="post" action="/publisher/apis/import" class="wide-form" data-testid="import-form">
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <section class="card" aria-labelledby="document-heading"><h2 id="document-heading">Document</h2>
            <p class="muted small">OpenAPI 3.0 or 3.1, or Swagger 2.0, in JSON or YAML. Resources, verbs, auth types (<code>security</code>, <code>x-auth-type</code>), scopes and the description come from it.</p>
            <div class="field" data-file-field hidden><label for="oas-file">Load a file</label><input type="file" id="oas-file" accept=".json,.yaml,.yml" data-load-into="oas-document"></div>
            <div class="field"><label for="oas-document">OpenAPI document</label><textarea id="oas-document" name="document" rows="16" class="code" required spellcheck="false">{{document}}</textarea></div>
          </section>
          <section class="card" aria-labelledby="overrides-heading"><h2 id="overrides-heading">Instead of the document's</h2>
            <div class="field-row">
              <div class="field"><label for="oas-name">Name <span class="hint">default: the title without spaces</span></label><input type="text" id="oas-name" name="name" value="{{name}}"></div>
              <div class="field"><label for="oas-version">Version <span class="hint">default: info.version</span></label><input type="text" id="oas-version" name="version" value="{{version}}"></div>
            </div>
            <div class="field"><label for="oas-context">Context <span class="hint">default: the first server's path</span></label><input type="text" id="oas-context" name="context" value="{{context}}"></div>
            <div class="field"><label for="oas-endpoint">Endpoint URL <span class="hint">default: the first server URL</span></label><input type="url" id="oas-endpoint" name="endpoint" value="{{endpoint}}"></div>
          </section>
          <div class="actions"><button type="submit" data-testid="import-submit">Create API</button></div>
        </form>
        {{/content}}
        {{/shared/layout}}
        """
}
