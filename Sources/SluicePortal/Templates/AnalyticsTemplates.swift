/// The analytics dashboard (`shared/analytics`, a partial inside `{{#dashboard}}`) and the Publisher's and Admin's
/// analytics pages. Values are escaped; only the server-built SVG charts are inserted raw.
enum AnalyticsTemplates {
    static let all: [String: String] = [
        "shared/analytics": dashboard,
        "shared/analytics-table": table,
        "shared/analytics-breakdowns": breakdowns,
        "publisher/analytics": publisherPage,
        "admin/analytics": adminPage,
    ]

    static let dashboard = """
        <form class="search analytics-filter" method="get" action="{{action}}" aria-label="Analytics filter">
          <label for="analytics-range">Range</label>
          <select id="analytics-range" name="range">{{#ranges}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ranges}}</select>
          {{#hasAPIOptions}}<label for="analytics-api">API</label>
          <select id="analytics-api" name="apiId"><option value="">All APIs</option>{{#apiOptions}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/apiOptions}}</select>{{/hasAPIOptions}}
          {{#hasApplicationOptions}}<label for="analytics-application">Application</label>
          <select id="analytics-application" name="applicationId"><option value="">All applications</option>{{#applicationOptions}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/applicationOptions}}</select>{{/hasApplicationOptions}}
          <button type="submit" class="secondary">Apply</button>
          <a class="button secondary" href="{{csvHref}}" data-testid="analytics-csv" download>Export CSV</a>
        </form>
        <div class="stats">
          <div class="stat"><strong data-testid="analytics-requests">{{requests}}</strong><span>requests</span></div>
          <div class="stat"><strong data-testid="analytics-errors">{{errors}}</strong><span>errors</span></div>
          <div class="stat"><strong data-testid="analytics-throttled">{{throttled}}</strong><span>throttled</span></div>
          <div class="stat"><strong>{{averageLatency}}</strong><span>average latency</span></div>
          <div class="stat"><strong>{{p95Latency}}</strong><span>95th percentile</span></div>
          <div class="stat"><strong>{{p99Latency}}</strong><span>99th percentile</span></div>
        </div>
        {{^hasCalls}}<p class="notice">No calls in the {{rangeLabel}}.</p>{{/hasCalls}}
        <div class="columns even">
          <section class="card">{{{trafficChart}}}</section>
          <section class="card">{{{latencyChart}}}</section>
          <section class="card">{{{apisChart}}}</section>
          <section class="card">{{{statusChart}}}</section>
        </div>
        {{>shared/analytics-breakdowns}}
        """

    /// The breakdown tables (the Store's usage page shows them under its own summary).
    static let breakdowns = """
        <section class="card" data-testid="analytics-apis"><h2>APIs</h2>{{#apis}}{{>shared/analytics-table}}{{/apis}}</section>
        <section class="card" data-testid="analytics-applications"><h2>Applications</h2>{{#applications}}{{>shared/analytics-table}}{{/applications}}</section>
        <section class="card" data-testid="analytics-users"><h2>Users</h2>{{#users}}{{>shared/analytics-table}}{{/users}}</section>
        <section class="card" data-testid="analytics-status"><h2>Errors by status class</h2>{{#statusClasses}}{{>shared/analytics-table}}{{/statusClasses}}</section>
        <section class="card" data-testid="analytics-faults"><h2>Errors by fault code</h2>{{#faultCodes}}{{>shared/analytics-table}}{{/faultCodes}}{{^hasFaultCodes}}<p class="muted">No gateway faults.</p>{{/hasFaultCodes}}</section>
        <section class="card" data-testid="analytics-tiers"><h2>Throttled calls by tier</h2>{{#tiers}}{{>shared/analytics-table}}{{/tiers}}</section>
        <section class="card" data-testid="analytics-backends"><h2>Latency per backend</h2>{{#backends}}{{>shared/analytics-table}}{{/backends}}</section>
        """

    /// One row of a breakdown (rendered once per row; the heading row comes with the first).
    static let table = """
        <div class="analytics-row" data-name="{{name}}"><strong>{{name}}</strong>
          <span><span data-field="requests">{{requests}}</span> requests</span>
          <span><span data-field="errors">{{errors}}</span> errors</span>
          <span><span data-field="throttled">{{throttled}}</span> throttled</span>
          <span class="muted small">latency avg {{average}} · p95 {{p95}} · p99 {{p99}} ms; backend avg {{backendAverage}} · p95 {{backendP95}} · p99 {{backendP99}} ms</span>
        </div>
        """

    static let publisherPage = """
        {{<shared/layout}}
        {{$content}}
        <div class="page-head"><div><p class="small"><a href="/publisher">APIs</a> / Analytics</p><h1>Analytics</h1>
          <p>{{scope}}</p></div></div>
        {{#dashboard}}{{>shared/analytics}}{{/dashboard}}
        {{/content}}
        {{/shared/layout}}
        """

    static let adminPage = """
        {{<shared/layout}}
        {{$subnav}}{{>admin/tabs}}{{/subnav}}
        {{$content}}
        <div class="page-head"><div><h1>Analytics</h1><p>Every API's calls, as the gateways recorded them.</p></div></div>
        {{#dashboard}}{{>shared/analytics}}{{/dashboard}}
        {{/content}}
        {{/shared/layout}}
        """
}
