/// The layout every page extends, the sign-in page of every area and the error page.
enum SharedTemplates {
    static let all: [String: String] = [
        "shared/layout": layout,
        "shared/signin": signIn,
        "shared/error": error,
    ]

    /// Blocks: `content` (the page), `subnav` (the area's own navigation).
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#layout}}<title>{{pageTitle}} · Sluice {{areaTitle}}</title>{{/layout}}
        <link rel="stylesheet" href="/portal/assets/portal.css">
        <script src="/portal/assets/portal.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        {{#layout}}
        <header class="topbar">
          <div class="topbar-inner">
            <a class="brand" href="{{areaPath}}"><span class="brand-mark" aria-hidden="true"></span>Sluice <small>{{areaTitle}}</small></a>
            <nav aria-label="Portals">
              <ul class="areas">
                {{#navigation}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/navigation}}
              </ul>
            </nav>
            <div class="account">
              {{#signedIn}}
              <span>Signed in as <strong data-testid="current-user">{{username}}</strong></span>
              <form method="post" action="/portal/signout">
                <input type="hidden" name="_csrf" value="{{csrf}}">
                <button type="submit" class="ghost small">Sign out</button>
              </form>
              {{/signedIn}}
              {{^signedIn}}<a class="button ghost small" href="{{signInHref}}">Sign in</a>{{/signedIn}}
            </div>
          </div>
        </header>
        {{/layout}}
        {{$subnav}}{{/subnav}}
        <main id="main">
        {{#layout}}{{#flash}}<div class="flash{{#isError}} error{{/isError}}" role="status">{{message}}{{#hasDetails}}<ul data-testid="flash-details">{{#details}}<li>{{.}}</li>{{/details}}</ul>{{/hasDetails}}</div>{{/flash}}{{/layout}}
        {{$content}}{{/content}}
        </main>
        <footer>Sluice API Manager · WSO2 API Manager compatible</footer>
        </body>
        </html>
        """

    static let signIn = """
        {{<shared/layout}}
        {{$content}}
        <section class="card auth-card" aria-labelledby="signin-heading">
          {{#layout}}<h1 id="signin-heading">Sign in to the {{areaTitle}}</h1>{{/layout}}
          {{#failed}}<div class="flash error" role="alert">Invalid username or password</div>{{/failed}}
          {{#paused}}<div class="flash error" role="alert">Too many failed sign-ins from this address. Wait a moment, then try again.</div>{{/paused}}
          <form method="post" action="{{action}}" class="stacked">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <input type="hidden" name="next" value="{{next}}">
            <div class="field">
              <label for="username">Username</label>
              <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" required autofocus>
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input type="password" id="password" name="password" autocomplete="current-password" required>
            </div>
            <button type="submit">Sign in</button>
          </form>
          {{#offersSignUp}}<p class="muted small">New here? <a href="{{signUpHref}}">Create an account</a>.</p>{{/offersSignUp}}
        </section>
        {{/content}}
        {{/shared/layout}}
        """

    static let error = """
        {{<shared/layout}}
        {{$content}}
        <section class="card auth-card">
          <h1>{{heading}}</h1>
          <p>{{message}}</p>
          <a class="button secondary" href="{{homeHref}}">Back to the start</a>
        </section>
        {{/content}}
        {{/shared/layout}}
        """
}
