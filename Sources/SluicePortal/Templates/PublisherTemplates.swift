/// The Publisher's pages (`publisher/...`). Every value is escaped (`{{x}}`); only the charts, which the server
/// builds and escapes itself (``SVGChart``), are inserted raw.
enum PublisherTemplates {
    static let all: [String: String] = [
        "publisher/api-head": apiHead,
        "publisher/api-tabs": apiTabs,
        "publisher/list": list,
        "publisher/overview": overview,
        "publisher/api-form": apiForm,
        "publisher/source": source,
        "publisher/source-edit": sourceEdit,
        "publisher/documents": documents,
        "publisher/subscriptions": subscriptions,
        "publisher/usage": usage,
        "publisher/import": importForm,
    ]

    /// The heading of every API page.
    static let apiHead = """
        <div class="page-head">
          <div>
            <p class="small"><a href="/publisher">APIs</a> / {{name}}</p>
            <h1>{{name}} <span class="muted">{{version}}</span> <span class="badge {{stateClass}}" data-testid="lifecycle-state">{{state}}</span></h1>
            <p><code>{{context}}/{{version}}</code> · provider {{provider}}</p>
          </div>
        </div>
        """

    /// The tabs of an API (rendered into the layout's `subnav` block).
    static let apiTabs = """
        <nav class="subnav" aria-label="API pages"><ul>
        {{#tabs}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/tabs}}
        </ul></nav>
        """

    static let list = """
        {{<shared/layout}}
        {{$content}}
        <div class="page-head">
          <div><h1>APIs</h1><p>Every API of this API manager, with its lifecycle state.</p></div>
          <div><a class="button secondary" href="/publisher/analytics" data-testid="publisher-analytics">Analytics</a>
          {{#canCreate}}<a class="button" href="/publisher/apis/new">Create API</a> <a class="button secondary" href="/publisher/apis/import" data-testid="import-openapi">Import OpenAPI</a>{{/canCreate}}</div>
        </div>
        <form class="search" method="get" action="/publisher" role="search">
          <label for="q" class="visually-hidden">Search APIs</label>
          <input type="search" id="q" name="q" value="{{query}}" placeholder="Search by name or context">
          <label class="checks"><input type="checkbox" name="mine" value="1"{{#mineOnly}} checked{{/mineOnly}}> Mine only</label>
          <button type="submit" class="secondary">Search</button>
        </form>
        {{#hasAPIs}}
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">API</th><th scope="col">Context</th><th scope="col">State</th><th scope="col" class="hide-narrow">Provider</th><th scope="col" class="hide-narrow">Updated</th></tr></thead>
          <tbody>
          {{#apis}}
          <tr>
            <td><a href="/publisher/apis/{{id}}"><strong>{{name}}</strong></a> <span class="muted">{{version}}</span>
              {{#hasDescription}}<div class="muted small">{{description}}</div>{{/hasDescription}}</td>
            <td><code>{{context}}</code></td>
            <td><span class="badge {{stateClass}}">{{state}}</span></td>
            <td class="hide-narrow">{{provider}}</td>
            <td class="hide-narrow small muted">{{updated}}</td>
          </tr>
          {{/apis}}
          </tbody>
        </table></div>
        {{/hasAPIs}}
        {{^hasAPIs}}<div class="card empty"><p>No APIs yet.</p>{{#canCreate}}<a class="button" href="/publisher/apis/new">Create the first API</a>{{/canCreate}}</div>{{/hasAPIs}}
        {{/content}}
        {{/shared/layout}}
        """

    static let overview = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        {{#hasPendingChanges}}<div class="notice" role="note" data-testid="pending-changes">Edits by a user without the publisher role wait for a publisher: the gateway still serves this API as it was before them.{{#canDeploy}}
          <form method="post" action="/publisher/apis/{{id}}/redeploy"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" data-testid="deploy-pending">Deploy the edits</button></form>{{/canDeploy}}</div>{{/hasPendingChanges}}
        <div class="columns">
          <div>
            <section class="card" aria-labelledby="about">
              <h2 id="about">About</h2>
              {{#hasDescription}}<p class="prewrap">{{description}}</p>{{/hasDescription}}
              {{^hasDescription}}<p class="muted">No description.</p>{{/hasDescription}}
              <dl class="facts">
                <dt>Production</dt><dd>{{#hasProduction}}<code>{{production}}</code>{{/hasProduction}}{{^hasProduction}}<span class="muted">none</span>{{/hasProduction}}</dd>
                <dt>Sandbox</dt><dd>{{#hasSandbox}}<code>{{sandbox}}</code>{{/hasSandbox}}{{^hasSandbox}}<span class="muted">none</span>{{/hasSandbox}}</dd>
                <dt>Tiers offered</dt><dd>{{#policies}}<span class="badge">{{.}}</span> {{/policies}}</dd>
                <dt>Visibility</dt><dd>{{visibility}}</dd>
                <dt>Default version</dt><dd>{{#isDefaultVersion}}yes{{/isDefaultVersion}}{{^isDefaultVersion}}no{{/isDefaultVersion}}</dd>
                <dt>CORS</dt><dd>{{cors}}</dd>
                <dt>Gateway source</dt><dd>{{#hasSourceOverride}}<span class="badge warn">Hand-edited</span>{{/hasSourceOverride}}{{^hasSourceOverride}}Generated{{/hasSourceOverride}} · <a href="/publisher/apis/{{id}}/source">view</a></dd>
                {{#hasGatewayURL}}<dt>Gateway URL</dt><dd><code>{{gatewayURL}}</code></dd>{{/hasGatewayURL}}
                {{#hasTags}}<dt>Tags</dt><dd><ul class="tags">{{#tags}}<li><span class="badge">{{.}}</span></li>{{/tags}}</ul></dd>{{/hasTags}}
              </dl>
            </section>
            <section class="card" aria-labelledby="resources">
              <h2 id="resources">Resources</h2>
              <div class="table-wrap"><table>
                <thead><tr><th scope="col">Verb</th><th scope="col">Path</th><th scope="col">Auth</th><th scope="col">Throttling</th></tr></thead>
                <tbody>{{#resources}}<tr><td><span class="badge verb {{verbClass}}">{{verb}}</span></td><td><code>{{target}}</code></td><td>{{auth}}</td><td>{{tier}}</td></tr>{{/resources}}</tbody>
              </table></div>
            </section>
          </div>
          <div>
            <section class="card" aria-labelledby="lifecycle-heading" data-testid="lifecycle">
              <h2 id="lifecycle-heading">Lifecycle</h2>
              {{#lifecycle}}
              <p>State: <span class="badge {{stateClass}}">{{state}}</span></p>
              {{#canChange}}
                {{#buttons}}
                <form method="post" action="/publisher/apis/{{apiID}}/lifecycle" class="lifecycle-form">
                  <input type="hidden" name="_csrf" value="{{csrf}}">
                  <input type="hidden" name="action" value="{{action}}">
                  {{#isPublish}}
                  <div class="checks small">
                    <label><input type="checkbox" name="deprecateOldVersions" value="true"> Deprecate old versions</label>
                    <label><input type="checkbox" name="requireResubscription" value="true"> Require re-subscription</label>
                  </div>
                  {{/isPublish}}
                  <button type="submit" class="{{style}}" data-testid="lifecycle-{{action}}">{{action}}</button>
                  <span class="muted small">→ {{target}}</span>
                </form>
                {{/buttons}}
                {{^hasButtons}}<p class="muted">Retired is final: no further changes.</p>{{/hasButtons}}
              {{/canChange}}
              {{^canChange}}<p class="muted" data-testid="lifecycle-readonly">Your role cannot change the lifecycle; a publisher does that.</p>{{/canChange}}
              {{/lifecycle}}
              {{#hasHistory}}<h3>History</h3>
              <ul class="history small">{{#history}}<li>{{from}} → <strong>{{to}}</strong> by {{actor}} <span class="muted">{{when}}</span></li>{{/history}}</ul>{{/hasHistory}}
            </section>
            {{#canCopy}}
            <section class="card" aria-labelledby="copy-heading">
              <h2 id="copy-heading">New version</h2>
              <form method="post" action="/publisher/apis/{{id}}/copy" class="stacked">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <div class="field"><label for="newVersion">Version</label><input type="text" id="newVersion" name="newVersion" required placeholder="2.0.0"></div>
                <label class="checks"><input type="checkbox" name="isDefaultVersion" value="true"> Make it the default version</label>
                <button type="submit" class="secondary">Create version</button>
              </form>
            </section>
            {{/canCopy}}
            {{#canDelete}}
            <section class="card" aria-labelledby="delete-heading">
              <h2 id="delete-heading">Delete</h2>
              <p class="muted small">Only APIs without subscriptions can be deleted.</p>
              <form method="post" action="/publisher/apis/{{id}}/delete" data-confirm="Delete this API?">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <button type="submit" class="danger">Delete API</button>
              </form>
            </section>
            {{/canDelete}}
          </div>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let apiForm = """
        {{<shared/layout}}
        {{$subnav}}{{#hasTabs}}{{>publisher/api-tabs}}{{/hasTabs}}{{/subnav}}
        {{$content}}
        {{#form}}
        <div class="page-head"><div>
          {{#isEdit}}<p class="small"><a href="/publisher">APIs</a> / {{name}}</p><h1>Edit {{name}} <span class="muted">{{version}}</span></h1>{{/isEdit}}
          {{^isEdit}}<p class="small"><a href="/publisher">APIs</a></p><h1>Create an API</h1>{{/isEdit}}
        </div></div>
        {{#hasErrors}}<div class="flash error" role="alert" data-testid="form-errors"><strong>The API was not saved:</strong><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
        {{#hasSourceOverride}}<div class="notice" role="note">This API's gateway source was edited by hand. Saving this form regenerates the source from these settings and drops the hand edit.</div>{{/hasSourceOverride}}
        <form method="post" action="{{action}}" class="wide-form">
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <section class="card" aria-labelledby="basics"><h2 id="basics">Basics</h2>
            <div class="field-row">
              <div class="field"><label for="name">Name</label><input type="text" id="name" name="name" value="{{name}}" required{{#isEdit}} readonly{{/isEdit}}></div>
              <div class="field"><label for="version">Version</label><input type="text" id="version" name="version" value="{{version}}" required{{#isEdit}} readonly{{/isEdit}}></div>
            </div>
            <div class="field"><label for="context">Context <span class="hint">e.g. /pizzashack; the version is appended</span></label><input type="text" id="context" name="context" value="{{context}}" required{{#isEdit}} readonly{{/isEdit}}></div>
            <div class="field"><label for="description">Description</label><textarea id="description" name="description" rows="3">{{description}}</textarea></div>
            <div class="field-row">
              <div class="field"><label for="tags">Tags <span class="hint">comma separated</span></label><input type="text" id="tags" name="tags" value="{{tags}}"></div>
              <div class="field"><label for="visibility">Visibility</label><select id="visibility" name="visibility">{{#visibilities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/visibilities}}</select></div>
            </div>
            <label class="checks"><input type="checkbox" name="isDefaultVersion" value="true"{{#isDefaultVersion}} checked{{/isDefaultVersion}}> Default version (also served without the version in the path)</label>
          </section>
          <section class="card" aria-labelledby="endpoints"><h2 id="endpoints">Endpoints</h2>
            <div class="field"><label for="endpointType">Endpoint type</label><select id="endpointType" name="endpointType">{{#endpointTypes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/endpointTypes}}</select></div>
            <div class="field"><label for="productionURL">Production URL</label><input type="url" id="productionURL" name="productionURL" value="{{productionURL}}" placeholder="http://backend.example/api"></div>
            <div class="field"><label for="sandboxURL">Sandbox URL</label><input type="url" id="sandboxURL" name="sandboxURL" value="{{sandboxURL}}"></div>
          </section>
          <section class="card" aria-labelledby="resources-heading"><h2 id="resources-heading">Resources</h2>
            <p class="muted small">Rows without a path are ignored. No resources means GET, PUT, POST, DELETE and PATCH on <code>/*</code>.</p>
            <div class="table-wrap"><table class="form-table">
              <thead><tr><th scope="col">Verb</th><th scope="col">Path</th><th scope="col">Auth type</th><th scope="col">Throttling tier</th><th scope="col">Scopes</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
              <tbody id="resource-rows" data-testid="resource-rows">
              {{#rows}}
              <tr>
                <td><label class="visually-hidden" for="op_verb_{{index}}">Verb of resource {{number}}</label><select id="op_verb_{{index}}" name="op_verb">{{#verbs}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/verbs}}</select></td>
                <td><label class="visually-hidden" for="op_target_{{index}}">Path of resource {{number}}</label><input type="text" id="op_target_{{index}}" name="op_target" value="{{target}}" placeholder="/orders/{id}"></td>
                <td><label class="visually-hidden" for="op_auth_{{index}}">Auth type of resource {{number}}</label><select id="op_auth_{{index}}" name="op_auth">{{#authTypes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/authTypes}}</select></td>
                <td><label class="visually-hidden" for="op_tier_{{index}}">Throttling tier of resource {{number}}</label><select id="op_tier_{{index}}" name="op_tier">{{#tiers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tiers}}</select></td>
                <td><label class="visually-hidden" for="op_scopes_{{index}}">Scopes of resource {{number}}</label><input type="text" id="op_scopes_{{index}}" name="op_scopes" value="{{scopes}}" placeholder="order_admin"></td>
                <td><button type="button" class="secondary small" data-remove-row hidden aria-label="Remove resource {{number}}">Remove</button></td>
              </tr>
              {{/rows}}
              </tbody>
            </table></div>
            <p><button type="button" class="secondary small" data-add-row="resource-rows" data-testid="add-resource" hidden>Add a resource</button></p>
          </section>
          <section class="card" aria-labelledby="scopes-heading"><h2 id="scopes-heading">Scopes</h2>
            <p class="muted small">A token carries a scope only when its user holds one of the scope's roles (for an application's own token, its owner). Leave the roles empty to let anyone obtain it. Every scope a resource names must be listed here.</p>
            <div class="table-wrap"><table class="form-table">
              <thead><tr><th scope="col">Scope</th><th scope="col">Roles (comma-separated)</th></tr></thead>
              <tbody>
              {{#scopeRows}}
              <tr>
                <td><label class="visually-hidden" for="scope_name_{{index}}">Name of scope {{number}}</label><input type="text" id="scope_name_{{index}}" name="scope_name" value="{{name}}" placeholder="order_admin"></td>
                <td><label class="visually-hidden" for="scope_roles_{{index}}">Roles of scope {{number}}</label><input type="text" id="scope_roles_{{index}}" name="scope_roles" value="{{roles}}" placeholder="admin, Internal/publisher"></td>
              </tr>
              {{/scopeRows}}
              </tbody>
            </table></div>
          </section>
          <section class="card" aria-labelledby="throttling"><h2 id="throttling">Subscriptions and throttling</h2>
            <fieldset><legend>Subscription tiers offered</legend><div class="checks">
              {{#policies}}<label><input type="checkbox" name="policies" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/policies}}
            </div></fieldset>
            <div class="field"><label for="apiThrottlingPolicy">API throttling policy</label><select id="apiThrottlingPolicy" name="apiThrottlingPolicy">{{#apiThrottlingPolicies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/apiThrottlingPolicies}}</select></div>
          </section>
          <section class="card" aria-labelledby="cors"><h2 id="cors">CORS</h2>
            <label class="checks"><input type="checkbox" name="corsEnabled" value="true"{{#corsEnabled}} checked{{/corsEnabled}}> Use these CORS settings for this API (otherwise the gateway's)</label>
            <div class="field-row">
              <div class="field"><label for="corsOrigins">Allowed origins <span class="hint">comma separated, * for any</span></label><input type="text" id="corsOrigins" name="corsOrigins" value="{{corsOrigins}}"></div>
              <div class="field"><label for="corsHeaders">Allowed headers</label><input type="text" id="corsHeaders" name="corsHeaders" value="{{corsHeaders}}"></div>
            </div>
            <fieldset><legend>Allowed methods</legend><div class="checks">
              {{#corsMethods}}<label><input type="checkbox" name="corsMethods" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/corsMethods}}
            </div></fieldset>
            <label class="checks"><input type="checkbox" name="corsCredentials" value="true"{{#corsCredentials}} checked{{/corsCredentials}}> Allow credentials</label>
          </section>
          <div class="actions"><button type="submit">{{submitLabel}}</button><a class="button secondary" href="/publisher">Cancel</a></div>
        </form>
        {{/form}}
        {{/content}}
        {{/shared/layout}}
        """

    static let source = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        <section class="card" aria-labelledby="source-heading">
          <div class="page-head">
            <div>
              <h2 id="source-heading">Synapse source <span class="badge{{#isOverride}} warn{{/isOverride}}" data-testid="source-kind">{{#isOverride}}Hand-edited{{/isOverride}}{{^isOverride}}Generated{{/isOverride}}</span></h2>
              <p class="muted small"><code>{{fileName}}</code>{{^isOverride}} · rendered for {{renderedState}}{{/isOverride}}
                {{#isBlocked}} · while BLOCKED the gateway serves the 700700 artifact{{/isBlocked}}
                {{^isLive}}{{^isBlocked}} · not on the gateway until the API is published{{/isBlocked}}{{/isLive}}</p>
            </div>
            <div class="actions">
              {{#canEdit}}<a class="button" href="/publisher/apis/{{id}}/source/edit">Edit source</a>{{/canEdit}}
              {{#isOverride}}
              <form method="post" action="/publisher/apis/{{id}}/source/revert">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <button type="submit" class="secondary">Revert to generated</button>
              </form>
              {{/isOverride}}
            </div>
          </div>
          {{#hasGenerationProblem}}<div class="notice" role="note">Nothing can be generated yet: {{generationProblem}}</div>{{/hasGenerationProblem}}
          {{#hasSource}}{{#listing}}<ol class="source-lines" aria-label="Source" data-testid="source-view">{{#lines}}<li id="L{{number}}"><code>{{text}}</code></li>{{/lines}}</ol>{{/listing}}{{/hasSource}}
        </section>
        {{#isOverride}}{{#generatedListing}}
        <details class="card"><summary>The generated source this edit replaces</summary>
          <ol class="source-lines">{{#lines}}<li><code>{{text}}</code></li>{{/lines}}</ol>
        </details>
        {{/generatedListing}}{{/isOverride}}
        {{/content}}
        {{/shared/layout}}
        """

    static let sourceEdit = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        <form method="post" action="/publisher/apis/{{id}}/source">
          <input type="hidden" name="_csrf" value="{{csrf}}">
          <div class="source-editor">
            <section class="card editor-pane" aria-labelledby="editor-heading">
              <h2 id="editor-heading">Edit <code>{{fileName}}</code></h2>
              <p class="muted small">The source is parsed and compiled as the gateway would before anything is saved. The API's name and context must stay; a saved edit is served instead of the generated source until you revert it{{#isLive}}, starting now{{/isLive}}.</p>
              <label for="source" class="visually-hidden">Synapse XML source</label>
              <textarea id="source" name="source" class="code" rows="{{rows}}" spellcheck="false" autocapitalize="off" autocomplete="off"{{#hasDiagnostics}} aria-invalid="true" aria-describedby="diagnostics"{{/hasDiagnostics}}>{{text}}</textarea>
              <div class="actions"><button type="submit">Validate and save</button><a class="button secondary" href="/publisher/apis/{{id}}/source">Cancel</a></div>
            </section>
            <aside class="card diagnostics-pane" aria-labelledby="diagnostics-heading" id="diagnostics">
              <h2 id="diagnostics-heading">Diagnostics</h2>
              {{#hasDiagnostics}}
              <div class="flash error" role="alert" data-testid="source-errors">Not saved: {{problemCount}}.</div>
              <ol class="diagnostics">
                {{#diagnostics}}
                <li data-testid="diagnostic"><strong>Line {{line}}, column {{column}}</strong>: {{message}}
                  {{#hasExcerpt}}<pre class="excerpt">{{excerpt}}
        {{caret}}</pre>{{/hasExcerpt}}</li>
                {{/diagnostics}}
              </ol>
              {{/hasDiagnostics}}
              {{^hasDiagnostics}}<p class="muted">No problems found yet. Problems appear here with their line and column when you save.</p>{{/hasDiagnostics}}
            </aside>
          </div>
        </form>
        {{/content}}
        {{/shared/layout}}
        """

    static let documents = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        <div class="columns">
          <section class="card" aria-labelledby="docs-heading">
            <h2 id="docs-heading">Documents</h2>
            {{#hasDocuments}}
            {{#documents}}
            <article class="doc">
              <h3>{{name}} <span class="badge">{{type}}</span> <span class="badge">{{sourceType}}</span></h3>
              {{#hasSummary}}<p class="muted">{{summary}}</p>{{/hasSummary}}
              {{#isURL}}<p><a href="{{url}}" rel="noopener noreferrer">{{url}}</a></p>{{/isURL}}
              {{^isURL}}{{#hasContent}}<div class="doc-body">{{content}}</div>{{/hasContent}}{{/isURL}}
              <p class="muted small">by {{createdBy}}, {{updated}}</p>
              {{#canDelete}}<form method="post" action="/publisher/apis/{{apiID}}/documents/{{documentId}}/delete" data-confirm="Delete this document?">
                <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger small">Delete</button></form>{{/canDelete}}
            </article>
            {{/documents}}
            {{/hasDocuments}}
            {{^hasDocuments}}<p class="empty">No documents yet.</p>{{/hasDocuments}}
          </section>
          {{#canCreate}}
          <section class="card" aria-labelledby="new-doc">
            <h2 id="new-doc">Add a document</h2>
            {{#hasErrors}}<div class="flash error" role="alert"><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
            <form method="post" action="/publisher/apis/{{id}}/documents" class="stacked">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              {{#draft}}
              <div class="field"><label for="doc-name">Name</label><input type="text" id="doc-name" name="name" value="{{name}}" required></div>
              {{/draft}}
              <div class="field-row">
                <div class="field"><label for="doc-type">Type</label><select id="doc-type" name="type">{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/types}}</select></div>
                <div class="field"><label for="doc-source">Source</label><select id="doc-source" name="sourceType">{{#sourceTypes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/sourceTypes}}</select></div>
              </div>
              {{#draft}}
              <div class="field"><label for="doc-summary">Summary</label><input type="text" id="doc-summary" name="summary" value="{{summary}}"></div>
              <div class="field"><label for="doc-content">Text <span class="hint">INLINE or MARKDOWN</span></label><textarea id="doc-content" name="content" rows="6">{{content}}</textarea></div>
              <div class="field"><label for="doc-url">URL <span class="hint">URL documents</span></label><input type="url" id="doc-url" name="url" value="{{url}}"></div>
              {{/draft}}
              <button type="submit">Add document</button>
            </form>
          </section>
          {{/canCreate}}
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let subscriptions = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        <section class="card" aria-labelledby="subs-heading">
          <h2 id="subs-heading">Subscriptions</h2>
          {{#hasSubscriptions}}
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Application</th><th scope="col">Owner</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
            <tbody>
            {{#subscriptions}}
            <tr>
              <td>{{application}}<div class="muted small hide-narrow">since {{since}}</div></td><td>{{owner}}</td><td>{{tier}}</td>
              <td><span class="badge {{statusClass}}" data-testid="subscription-status">{{status}}</span></td>
              <td><div class="actions">
                {{#canBlock}}<form method="post" action="/publisher/apis/{{apiID}}/subscriptions/{{subscriptionId}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="status" value="BLOCKED"><button type="submit" class="danger small">Block</button></form>{{/canBlock}}
                {{#canBlockProduction}}<form method="post" action="/publisher/apis/{{apiID}}/subscriptions/{{subscriptionId}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="status" value="PROD_ONLY_BLOCKED"><button type="submit" class="secondary small">Block production only</button></form>{{/canBlockProduction}}
                {{#canUnblock}}<form method="post" action="/publisher/apis/{{apiID}}/subscriptions/{{subscriptionId}}"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="status" value="UNBLOCKED"><button type="submit" class="small">Unblock</button></form>{{/canUnblock}}</div>
              </td>
            </tr>
            {{/subscriptions}}
            </tbody>
          </table></div>
          {{/hasSubscriptions}}
          {{^hasSubscriptions}}<p class="empty">No application subscribes to this API yet.</p>{{/hasSubscriptions}}
        </section>
        {{/content}}
        {{/shared/layout}}
        """

    static let usage = """
        {{<shared/layout}}
        {{$subnav}}{{>publisher/api-tabs}}{{/subnav}}
        {{$content}}
        {{>publisher/api-head}}
        <nav class="range-picker" aria-label="Time range"><ul class="tags">
          {{#ranges}}<li><a href="{{href}}"{{#current}} aria-current="page" class="current"{{/current}}>{{label}}</a></li>{{/ranges}}
        </ul></nav>
        {{#charts}}
        <div class="stats">
          <div class="stat"><strong data-testid="usage-requests">{{requests}}</strong><span>requests</span></div>
          <div class="stat"><strong>{{errors}}</strong><span>errors</span></div>
          <div class="stat"><strong>{{throttled}}</strong><span>throttled</span></div>
          <div class="stat"><strong>{{averageLatency}}</strong><span>average latency</span></div>
          <div class="stat"><strong>{{p95Latency}}</strong><span>95th percentile</span></div>
        </div>
        {{^hasCalls}}<p class="notice">No calls to this API in the {{rangeLabel}}.</p>{{/hasCalls}}
        <div class="columns even">
          <section class="card">{{{requestsChart}}}</section>
          <section class="card">{{{latencyChart}}}</section>
          <section class="card">{{{applicationsChart}}}</section>
          <section class="card">{{{throttledChart}}}</section>
        </div>
        {{/charts}}
        {{/content}}
        {{/shared/layout}}
        """
}
