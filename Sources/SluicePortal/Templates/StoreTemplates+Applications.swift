extension StoreTemplates {
    static let applications = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head"><div><h1>Applications</h1>
          <p>An application holds your keys and subscriptions; its tier limits all its calls together.</p></div></section>
        <div class="columns">
          <div>
            {{#hasApplications}}<div class="table-wrap"><table>
              <thead><tr><th scope="col">Name</th><th scope="col">Tier</th><th scope="col">Subscriptions</th><th scope="col" class="hide-narrow">Created</th></tr></thead>
              <tbody>{{#applications}}<tr data-testid="application-row">
                <td><a href="/store/applications/{{id}}">{{name}}</a>{{#hasDescription}}<div class="muted small">{{description}}</div>{{/hasDescription}}</td>
                <td><span class="badge">{{tier}}</span></td><td>{{subscriptions}}</td><td class="hide-narrow muted small">{{created}}</td></tr>{{/applications}}</tbody>
            </table></div>{{/hasApplications}}
            {{^hasApplications}}<p class="card empty">No applications yet: create one to subscribe to APIs.</p>{{/hasApplications}}
          </div>
          <section class="card" aria-labelledby="new-app"><h2 id="new-app">New application</h2>
            <form method="post" action="/store/applications" class="stacked">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <div class="field"><label for="name">Name</label><input type="text" id="name" name="name" maxlength="100" required></div>
              <div class="field"><label for="tier">Tier</label>
                <select id="tier" name="tier">{{#tiers}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tiers}}</select></div>
              <div class="field"><label for="description">Description <span class="hint">optional</span></label>
                <textarea id="description" name="description" maxlength="1000"></textarea></div>
              <div><button type="submit">Create application</button></div>
            </form>
          </section>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let application = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head">
          <div><h1 data-testid="application-name">{{name}}</h1><p><span class="badge">{{tier}}</span> · created {{created}}</p></div>
          <div class="actions"><a class="button secondary" href="/store/applications/{{id}}/usage">Usage</a>
            <form method="post" action="/store/applications/{{id}}/delete" data-confirm="Delete {{name}} with its keys and subscriptions?">
              <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger">Delete</button></form></div>
        </section>
        {{#keys}}{{#token}}<section class="card secret" data-testid="token-box" aria-labelledby="token-heading-{{type}}">
          <h2 id="token-heading-{{type}}">{{keyType}} access token</h2>
          <div class="keybox"><code id="access-token" data-testid="access-token">{{accessToken}}</code></div>
          <p class="small">Valid for {{expiresIn}} seconds. Send it as <code>Authorization: Bearer …</code>.</p>
          {{#hasCalls}}<h3>Call your APIs</h3>{{#calls}}<p class="small"><strong>{{api}}</strong></p><pre id="curl-{{index}}" data-testid="curl">{{curl}}</pre>
          <button type="button" class="secondary small" data-copy="curl-{{index}}" hidden>Copy</button>{{/calls}}{{/hasCalls}}
          {{^hasCalls}}<p class="muted small">Subscribe this application to an API to call it with this token.</p>{{/hasCalls}}
        </section>{{/token}}{{/keys}}
        <div class="columns even">
        {{#keys}}<section class="card" data-testid="keys-{{type}}" aria-labelledby="keys-heading-{{type}}">
          <h2 id="keys-heading-{{type}}">{{label}}</h2>
          {{#hasKeys}}
            <div class="keybox"><label>Consumer key</label><code data-testid="consumer-key-{{type}}">{{consumerKey}}</code></div>
            {{#hasCallbackURL}}<div class="keybox"><label>Callback URL</label><code data-testid="callback-url-{{type}}">{{callbackURL}}</code></div>{{/hasCallbackURL}}
            {{#oneTimeSecret}}<div class="secret" role="status"><strong>Consumer secret</strong>
              <code class="keybox" data-testid="consumer-secret-{{type}}">{{oneTimeSecret}}</code>
              <p class="small">Copy it now: it is shown only this once and is stored only as a hash.</p></div>{{/oneTimeSecret}}
            <form method="post" action="/store/applications/{{id}}/keys/{{type}}/token" class="stacked">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <label class="checks"><input type="checkbox" name="revokePrevious" value="true" data-testid="revoke-previous-{{type}}"> Revoke the application's current tokens</label>
              <div class="actions"><button type="submit" data-testid="generate-token-{{type}}">Generate access token</button></div>
            </form>
            <form method="post" action="/store/applications/{{id}}/keys/{{type}}/regenerate-secret" data-confirm="The current secret stops working. Continue?">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <p><button type="submit" class="secondary small">Regenerate secret</button></p>
            </form>
          {{/hasKeys}}
          {{^hasKeys}}<p class="muted">No keys yet.</p>
            <form method="post" action="/store/applications/{{id}}/keys/{{type}}/generate">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <div class="field"><label for="callback-{{type}}">Callback URL (authorization code grant, optional)</label>
                <input type="url" id="callback-{{type}}" name="callbackUrl" placeholder="https://app.example.com/callback" data-testid="callback-url-input-{{type}}"></div>
              <button type="submit" data-testid="generate-keys-{{type}}">Generate keys</button>
            </form>{{/hasKeys}}
          <h3>API key</h3>
          {{#oneTimeAPIKey}}<div class="secret" role="status"><strong>API key</strong>
            <code class="keybox" data-testid="api-key-{{type}}">{{oneTimeAPIKey}}</code>
            <p class="small">{{apiKeyValidity}} Send it as the <code>apikey</code> header to APIs that accept API keys.
              Copy it now: it is shown only this once.</p></div>{{/oneTimeAPIKey}}
          <form method="post" action="/store/applications/{{id}}/keys/{{type}}/api-key" class="stacked">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="apikey-validity-{{type}}">Validity in seconds (empty: no expiry)</label>
              <input type="number" min="1" id="apikey-validity-{{type}}" name="validityPeriod"></div>
            <div class="field"><label for="apikey-ip-{{type}}">Permitted IP addresses (optional, comma-separated, CIDR allowed)</label>
              <input id="apikey-ip-{{type}}" name="permittedIP" placeholder="192.168.1.2, 10.0.0.0/8"></div>
            <div class="field"><label for="apikey-referer-{{type}}">Permitted HTTP referrers (optional, * allowed)</label>
              <input id="apikey-referer-{{type}}" name="permittedReferer" placeholder="https://www.example.com/*"></div>
            <div class="actions"><button type="submit" class="secondary" data-testid="generate-api-key-{{type}}">Generate API key</button></div>
          </form>
        </section>{{/keys}}
        </div>
        <section class="card" aria-labelledby="subs-heading"><h2 id="subs-heading">Subscriptions</h2>
          {{#hasSubscriptions}}<div class="table-wrap"><table>
            <thead><tr><th scope="col">API</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col"><span class="skip">Actions</span></th></tr></thead>
            <tbody>{{#subscriptions}}<tr data-testid="subscription-row"><td><a href="/store/apis/{{apiId}}">{{api}}</a> <span class="muted">{{version}}</span></td>
              <td>{{tier}}</td><td><span class="badge {{statusClass}}">{{status}}</span></td>
              <td><form method="post" action="/store/applications/{{applicationId}}/subscriptions/{{id}}/delete" data-confirm="Unsubscribe from {{api}}?">
                <input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger small">Unsubscribe</button></form></td></tr>{{/subscriptions}}</tbody>
          </table></div>{{/hasSubscriptions}}
          {{^hasSubscriptions}}<p class="muted">No subscriptions yet. <a href="/store/apis">Find an API</a> and subscribe this application.</p>{{/hasSubscriptions}}
        </section>
        <section class="card" aria-labelledby="edit-heading"><h2 id="edit-heading">Edit</h2>
          <form method="post" action="/store/applications/{{id}}" class="stacked">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="name">Name</label><input type="text" id="name" name="name" value="{{name}}" maxlength="100" required></div>
            <div class="field"><label for="tier">Tier</label>
              <select id="tier" name="tier">{{#tiers}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tiers}}</select></div>
            <div class="field"><label for="description">Description</label>
              <textarea id="description" name="description" maxlength="1000">{{description}}</textarea></div>
            <div><button type="submit">Save</button></div>
          </form>
        </section>
        {{/content}}
        {{/shared/layout}}
        """

    static let usage = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head">
          <div><h1>Usage of {{name}}</h1><p>Calls the gateway recorded for this application.</p></div>
          <div class="actions"><a class="button secondary" href="/store/applications/{{id}}">Back to {{name}}</a></div>
        </section>
        <nav class="actions" aria-label="Period">{{#periods}}<a class="button small{{^current}} secondary{{/current}}" href="/store/applications/{{id}}/usage?hours={{hours}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a> {{/periods}}</nav>
        <p></p>
        <div class="stats">
          <div class="stat"><strong data-testid="usage-requests">{{requests}}</strong><span>Requests</span></div>
          <div class="stat"><strong data-testid="usage-errors">{{errors}}</strong><span>Errors</span></div>
          <div class="stat"><strong data-testid="usage-throttled">{{throttled}}</strong><span>Throttled</span></div>
          <div class="stat"><strong>{{latency}}</strong><span>Mean latency (p95 {{p95}}, p99 {{p99}})</span></div>
        </div>
        <p><a class="button secondary small" href="{{csvHref}}" data-testid="usage-csv" download>Export CSV</a></p>
        {{#hasUsage}}<section class="card" data-testid="usage-timeline"><h2>Requests over time</h2><p class="muted small">One point per {{timelineStep}}.</p>{{{timelineChart}}}</section>
        <section class="card"><h2>Requests per API</h2>{{{chart}}}</section>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">API</th><th scope="col">Requests</th><th scope="col">Errors</th><th scope="col">Throttled</th><th scope="col">Mean ms</th><th scope="col" class="hide-narrow">Last call</th></tr></thead>
          <tbody>{{#rows}}<tr><td>{{api}}</td><td>{{requests}}</td><td>{{errors}}</td><td>{{throttled}}</td><td>{{latency}}</td><td class="hide-narrow muted small">{{lastAccess}}</td></tr>{{/rows}}</tbody>
        </table></div>
        {{#dashboard}}{{>shared/analytics-breakdowns}}{{/dashboard}}{{/hasUsage}}
        {{^hasUsage}}<p class="card empty">No calls in this period. Calls appear here within a few seconds.</p>{{/hasUsage}}
        {{/content}}
        {{/shared/layout}}
        """
}
