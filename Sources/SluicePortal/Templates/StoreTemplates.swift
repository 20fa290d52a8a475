/// The Store's pages. Partials: `store/subnav` (the Store's own navigation), `store/card` (an API in a grid).
enum StoreTemplates {
    static let all: [String: String] = [
        "store/subnav": subnav,
        "store/card": card,
        "store/home": home,
        "store/apis": apis,
        "store/api": api,
        "store/tryit": tryItConsole,
        "store/signup": signUp,
        "store/applications": applications,
        "store/application": application,
        "store/usage": usage,
    ]

    static let subnav = """
        <nav class="subnav" aria-label="Store"><ul>
        {{#subnav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/subnav}}
        </ul></nav>
        """

    static let card = """
        <article class="card api-card" data-testid="api-card">
          <div class="actions"><span class="avatar" aria-hidden="true">{{initial}}</span>
            <div><h3><a href="/store/apis/{{id}}">{{name}}</a></h3>
            <span class="meta">v{{version}} · by {{provider}}</span></div></div>
          <p>{{description}}</p>
          <div class="actions small">
            <span class="stars" aria-label="Rating {{rating}}">{{#stars}}{{#on}}★{{/on}}{{^on}}<span class="off">★</span>{{/on}}{{/stars}}</span>
            <span class="muted">{{rating}}</span>
            {{#isPrototype}}<span class="badge prototyped">Prototype</span>{{/isPrototype}}
          </div>
          {{#hasTags}}<ul class="tags small">{{#tags}}<li><a href="{{href}}">{{tag}}</a></li>{{/tags}}</ul>{{/hasTags}}
        </article>
        """

    static let home = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head">
          <div><h1>Discover APIs</h1><p>{{countLabel}} ready to use. Subscribe an application, get keys, call them through the gateway.</p></div>
          {{^layout.signedIn}}<a class="button" href="/store/signup">Create an account</a>{{/layout.signedIn}}
        </section>
        <form class="search" method="get" action="/store/apis" role="search">
          <label for="q" class="skip">Search APIs</label>
          <input type="search" id="q" name="q" placeholder="Search by name, or tag:pizza, provider:admin">
          <button type="submit">Search</button>
        </form>
        <div class="columns">
          <div>
            {{#hasTopRated}}<h2>Top rated</h2>
            <div class="grid">{{#topRated}}{{>store/card}}{{/topRated}}</div>{{/hasTopRated}}
            <h2>Newest</h2>
            {{#hasAPIs}}<div class="grid">{{#newest}}{{>store/card}}{{/newest}}</div>
            <p><a href="/store/apis">Browse all APIs →</a></p>{{/hasAPIs}}
            {{^hasAPIs}}<p class="card empty">No APIs are published yet.</p>{{/hasAPIs}}
          </div>
          <aside class="card tag-cloud" aria-labelledby="tags-heading">
            <h2 id="tags-heading">Tags</h2>
            <ul class="tags">{{#tags}}<li><a class="w{{weight}}" href="{{href}}">{{tag}} <span class="muted">{{count}}</span></a></li>{{/tags}}</ul>
            {{^tags}}<p class="muted">No tags yet.</p>{{/tags}}
          </aside>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let apis = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head"><div><h1>APIs</h1><p>{{countLabel}}</p></div></section>
        <form class="search" method="get" action="/store/apis" role="search">
          <label for="q" class="skip">Search APIs</label>
          <input type="search" id="q" name="q" value="{{query}}" placeholder="Search by name, or tag:pizza, provider:admin">
          <label for="sort" class="skip">Order</label>
          <select id="sort" name="sort">{{#orders}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/orders}}</select>
          <button type="submit">Search</button>
        </form>
        {{#problem}}<div class="flash error" role="alert">{{problem}}</div>{{/problem}}
        <div class="columns">
          <div>
            <div class="grid">{{#apis}}{{>store/card}}{{/apis}}</div>
            {{^apis}}<p class="card empty">No API matches. Try a shorter name, or <a href="/store/apis">see all APIs</a>.</p>{{/apis}}
          </div>
          <aside class="card tag-cloud"><h2>Tags</h2>
            <ul class="tags">{{#tags}}<li><a class="w{{weight}}" href="{{href}}">{{tag}} <span class="muted">{{count}}</span></a></li>{{/tags}}</ul>
          </aside>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let api = """
        {{<shared/layout}}
        {{$subnav}}{{>store/subnav}}{{/subnav}}
        {{$content}}
        <section class="page-head">
          <div class="actions"><span class="avatar" aria-hidden="true">{{initial}}</span>
            <div><h1>{{name}} <span class="muted">{{version}}</span></h1>
            <p>by {{provider}} · <span class="badge {{state}}">{{stateLabel}}</span>
            · <span class="stars" aria-label="Average rating {{rating}}">{{#stars}}{{#on}}★{{/on}}{{^on}}<span class="off">★</span>{{/on}}{{/stars}}</span>
            <span data-testid="average-rating">{{rating}}</span> ({{ratingCount}} ratings)</p></div></div>
        </section>
        {{#isDeprecated}}<div class="notice">This API is deprecated: it takes no new subscriptions.</div>{{/isDeprecated}}
        {{#isPrototype}}<div class="notice">This is a prototype: try it, but it takes no subscriptions yet.</div>{{/isPrototype}}
        <div class="columns">
          <div>
            <section class="card"><h2>Overview</h2>
              <p class="doc-body">{{#hasDescription}}{{description}}{{/hasDescription}}{{^hasDescription}}No description.{{/hasDescription}}</p>
              <dl class="facts">
                <dt>Context</dt><dd><code>{{context}}/{{version}}</code></dd>
                {{#gatewayURL}}<dt>Gateway URL</dt><dd><code>{{gatewayURL}}</code></dd>{{/gatewayURL}}
                <dt>Tiers</dt><dd>{{#tiers}}<span class="badge">{{name}}</span> {{/tiers}}</dd>
                {{#hasTags}}<dt>Tags</dt><dd><ul class="tags small">{{#tags}}<li><a href="{{href}}">{{tag}}</a></li>{{/tags}}</ul></dd>{{/hasTags}}
              </dl>
            </section>
            <section class="card"><h2>Resources</h2>
              <div class="table-wrap"><table>
                <thead><tr><th scope="col">Verb</th><th scope="col">Path</th><th scope="col">Auth</th><th scope="col">Tier</th></tr></thead>
                <tbody>{{#resources}}<tr><td><span class="badge verb {{verbClass}}">{{verb}}</span></td><td><code>{{target}}</code></td><td>{{authType}}</td><td>{{tier}}</td></tr>{{/resources}}</tbody>
              </table></div>
              {{#exampleCurl}}<p class="small muted">Try it once you have a token:</p><pre>{{exampleCurl}}</pre>{{/exampleCurl}}
            </section>
            {{#tryIt}}{{>store/tryit}}{{/tryIt}}
            <section class="card"><h2>Documents</h2>
              {{#documents}}<article class="comment"><h3>{{#isLink}}<a href="{{url}}" rel="noopener noreferrer">{{name}}</a>{{/isLink}}{{^isLink}}{{name}}{{/isLink}} <span class="badge">{{type}}</span></h3>
                {{#hasSummary}}<p class="muted">{{summary}}</p>{{/hasSummary}}
                {{#hasBody}}<div class="doc-body">{{body}}</div>{{/hasBody}}</article>{{/documents}}
              {{^hasDocuments}}<p class="muted">No documents yet.</p>{{/hasDocuments}}
            </section>
            <section class="card" id="comments"><h2>Comments</h2>
              {{#comments}}<div class="comment"><strong>{{author}}</strong> <span class="muted small">{{date}}</span><p>{{content}}</p></div>{{/comments}}
              {{^hasComments}}<p class="muted">No comments yet.</p>{{/hasComments}}
              {{#signedIn}}<form method="post" action="/store/apis/{{id}}/comments" class="stacked">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <div class="field"><label for="content">Add a comment</label>
                <textarea id="content" name="content" maxlength="4000" required></textarea></div>
                <div><button type="submit">Post comment</button></div>
              </form>{{/signedIn}}
            </section>
          </div>
          <aside>
            <section class="card"><h2>Subscribe</h2>
              {{#signedIn}}
                {{#isSubscribed}}<p>Subscribed with <strong>{{subscribedWith}}</strong>.</p>{{/isSubscribed}}
                {{#subscribable}}{{#hasApplications}}
                <form method="post" action="/store/apis/{{id}}/subscriptions" class="stacked">
                  <input type="hidden" name="_csrf" value="{{csrf}}">
                  <div class="field"><label for="applicationId">Application</label>
                  <select id="applicationId" name="applicationId">{{#applications}}<option value="{{id}}">{{name}}</option>{{/applications}}</select></div>
                  <div class="field"><label for="tier">Tier</label>
                  <select id="tier" name="tier">{{#tiers}}<option value="{{name}}">{{name}}</option>{{/tiers}}</select></div>
                  <div><button type="submit">Subscribe</button></div>
                </form>{{/hasApplications}}
                {{^hasApplications}}<p class="muted">Every application of yours is subscribed. <a href="/store/applications">Create another application</a>.</p>{{/hasApplications}}{{/subscribable}}
                {{^subscribable}}<p class="muted">This API takes no new subscriptions.</p>{{/subscribable}}
              {{/signedIn}}
              {{^signedIn}}<p><a class="button" href="{{signInHref}}">Sign in to subscribe</a></p>{{/signedIn}}
            </section>
            <section class="card"><h2>Rate this API</h2>
              {{#signedIn}}<form method="post" action="/store/apis/{{id}}/rating" class="rating-form">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <label for="rating">Your rating</label>
                <select id="rating" name="rating">{{#ratingChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}} ★</option>{{/ratingChoices}}</select>
                <button type="submit" class="secondary">Rate</button>
              </form>
              {{#userRating}}<p class="muted small">You rated it {{userRating}} of 5.</p>{{/userRating}}{{/signedIn}}
              {{^signedIn}}<p class="muted">Sign in to rate and comment.</p>{{/signedIn}}
            </section>
          </aside>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let signUp = """
        {{<shared/layout}}
        {{$content}}
        <section class="card auth-card" aria-labelledby="signup-heading">
          <h1 id="signup-heading">Create your account</h1>
          <p class="muted">You get a DefaultApplication right away to subscribe to APIs.</p>
          {{#problem}}<div class="flash error" role="alert">{{problem}}</div>{{/problem}}
          <form method="post" action="/store/signup" class="stacked">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field-row">
              <div class="field"><label for="firstName">First name</label>
                <input type="text" id="firstName" name="firstName" value="{{firstName}}" autocomplete="given-name" maxlength="100" required></div>
              <div class="field"><label for="lastName">Last name</label>
                <input type="text" id="lastName" name="lastName" value="{{lastName}}" autocomplete="family-name" maxlength="100" required></div>
            </div>
            <div class="field"><label for="email">E-mail</label>
              <input type="email" id="email" name="email" value="{{email}}" autocomplete="email" required></div>
            <div class="field"><label for="username">Username <span class="hint">3 to 64 letters, digits, . _ @ -</span></label>
              <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" required></div>
            <div class="field"><label for="password">Password <span class="hint">at least 8 characters</span></label>
              <input type="password" id="password" name="password" autocomplete="new-password" required></div>
            <div class="field"><label for="confirmPassword">Repeat the password</label>
              <input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required></div>
            <button type="submit">Create account</button>
          </form>
          <p class="muted small">Already have an account? <a href="/store/signin">Sign in</a>.</p>
        </section>
        {{/content}}
        {{/shared/layout}}
        """
}
