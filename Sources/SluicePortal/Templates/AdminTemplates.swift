/// The Admin pages (`admin/...`): users and roles, throttling policies.
enum AdminTemplates {
    static let all: [String: String] = [
        "admin/tabs": tabs,
        "admin/users": users,
        "admin/policies": policies,
        "admin/policy-form": policyForm,
    ]

    static let tabs = """
        <nav class="subnav" aria-label="Administration"><ul>
        {{#tabs}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/tabs}}
        </ul></nav>
        """

    static let users = """
        {{<shared/layout}}
        {{$subnav}}{{>admin/tabs}}{{/subnav}}
        {{$content}}
        <div class="page-head"><div><h1>Users</h1><p>Who may use the API manager, and with which roles.</p></div></div>
        <div class="columns">
          <section class="card" aria-labelledby="users-heading">
            <h2 id="users-heading">Users and roles</h2>
            <div class="table-wrap"><table>
              <thead><tr><th scope="col">User</th><th scope="col">Roles</th></tr></thead>
              <tbody>
              {{#users}}
              <tr data-testid="user-{{username}}">
                <td><strong>{{username}}</strong>{{#isSelf}} <span class="badge">you</span>{{/isSelf}}<div class="muted small">{{email}}</div></td>
                <td>
                  <form method="post" action="/admin/users/{{username}}/roles" class="role-form">
                    <input type="hidden" name="_csrf" value="{{csrf}}">
                    <fieldset><legend class="visually-hidden">Roles of {{username}}</legend><div class="checks">
                      {{#roles}}<label><input type="checkbox" name="roles" value="{{name}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/roles}}
                    </div></fieldset>
                    <button type="submit" class="secondary small">Save roles</button>
                  </form>
                </td>
              </tr>
              {{/users}}
              </tbody>
            </table></div>
          </section>
          <section class="card" aria-labelledby="new-user">
            <h2 id="new-user">Create a user</h2>
            {{#hasErrors}}<div class="flash error" role="alert" data-testid="form-errors"><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
            <form method="post" action="/admin/users" class="stacked">
              <input type="hidden" name="_csrf" value="{{csrf}}">
              <div class="field"><label for="new-username">Username</label><input type="text" id="new-username" name="username" value="{{draftUsername}}" required autocomplete="off"></div>
              <div class="field"><label for="new-email">E-mail <span class="hint">optional</span></label><input type="email" id="new-email" name="email" value="{{draftEmail}}"></div>
              <div class="field"><label for="new-password">Password <span class="hint">8 to 128 characters</span></label><input type="password" id="new-password" name="password" required autocomplete="new-password"></div>
              <fieldset><legend>Roles</legend><div class="checks">
                {{#newRoles}}<label><input type="checkbox" name="roles" value="{{name}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/newRoles}}
              </div></fieldset>
              <button type="submit">Create user</button>
            </form>
          </section>
        </div>
        {{/content}}
        {{/shared/layout}}
        """

    static let policies = """
        {{<shared/layout}}
        {{$subnav}}{{>admin/tabs}}{{/subnav}}
        {{$content}}
        <div class="page-head">
          <div><h1>Throttling policies</h1><p>Changes apply on the gateways at once, without a restart.</p></div>
          <a class="button" href="/admin/policies/{{segment}}/new">New {{segment}} policy</a>
        </div>
        <nav aria-label="Policy levels" class="range-picker"><ul class="tags">
          {{#levels}}<li><a href="/admin/policies?level={{segment}}"{{#current}} aria-current="page" class="current"{{/current}}>{{label}}</a></li>{{/levels}}
        </ul></nav>
        <section class="card" aria-labelledby="policies-heading">
          <h2 id="policies-heading">{{levelTitle}} policies</h2>
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Name</th><th scope="col">Quota</th>{{#isSubscription}}<th scope="col">Burst</th>{{/isSubscription}}<th scope="col" class="hide-narrow">Defined in</th><th scope="col">Actions</th></tr></thead>
            <tbody>
            {{#policies}}
            <tr data-testid="policy-{{name}}">
              <td><strong>{{name}}</strong>{{#hasDescription}}<div class="muted small">{{description}}</div>{{/hasDescription}}</td>
              <td>{{quota}}</td>{{#isSubscription}}<td>{{burst}}</td>{{/isSubscription}}
              <td class="hide-narrow">{{source}}</td>
              <td><div class="actions">
                {{#canEdit}}<a class="button secondary small" href="/admin/policies/{{segment}}/{{name}}/edit">Edit</a>{{/canEdit}}
                {{#canDelete}}<form method="post" action="/admin/policies/{{segment}}/{{name}}/delete" data-confirm="Delete this policy?"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="danger small">Delete</button></form>{{/canDelete}}</div>
              </td>
            </tr>
            {{/policies}}
            </tbody>
          </table></div>
        </section>
        {{/content}}
        {{/shared/layout}}
        """

    static let policyForm = """
        {{<shared/layout}}
        {{$subnav}}{{>admin/tabs}}{{/subnav}}
        {{$content}}
        <div class="page-head"><div>
          <p class="small"><a href="/admin/policies?level={{segment}}">{{levelTitle}} policies</a></p>
          <h1>{{#isEdit}}Edit {{name}}{{/isEdit}}{{^isEdit}}New {{segment}} policy{{/isEdit}}</h1>
        </div></div>
        <section class="card">
          {{#hasErrors}}<div class="flash error" role="alert" data-testid="form-errors"><strong>Not saved:</strong><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/hasErrors}}
          <form method="post" action="{{action}}" class="stacked">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <div class="field"><label for="policy-name">Name <span class="hint">letters, digits, '_', '.', '-'</span></label><input type="text" id="policy-name" name="name" value="{{name}}" required{{#isEdit}} readonly{{/isEdit}}></div>
            <div class="field"><label for="policy-display">Display name <span class="hint">optional</span></label><input type="text" id="policy-display" name="displayName" value="{{displayName}}"></div>
            <div class="field"><label for="policy-description">Description</label><input type="text" id="policy-description" name="description" value="{{description}}"></div>
            <fieldset class="field" data-testid="limit-type"><legend>Limit</legend>
              <div class="checks">{{#limitTypes}}<label><input type="radio" name="limitType" value="{{value}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/limitTypes}}</div>
            </fieldset>
            <div class="field-row">
              <div class="field"><label for="policy-count">Requests <span class="hint">request count limit</span></label><input type="number" id="policy-count" name="requestCount" value="{{requestCount}}" min="1"></div>
              <div class="field"><label for="policy-data">Data <span class="hint">bandwidth limit</span></label>
                <div class="inline-pair"><input type="number" id="policy-data" name="dataAmount" value="{{dataAmount}}" min="1">
                <label for="policy-data-unit" class="visually-hidden">Data unit</label><select id="policy-data-unit" name="dataUnit">{{#dataUnits}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/dataUnits}}</select></div>
              </div>
              <div class="field"><label for="policy-window">per</label>
                <div class="inline-pair"><input type="number" id="policy-window" name="unitTime" value="{{unitTime}}" min="1" max="1000" required>
                <label for="policy-unit" class="visually-hidden">Time unit</label><select id="policy-unit" name="timeUnit">{{#timeUnits}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/timeUnits}}</select></div>
              </div>
            </div>
            {{#isSubscription}}
            <div class="field-row">
              <div class="field"><label for="policy-burst">Burst limit <span class="hint">optional</span></label><input type="number" id="policy-burst" name="burstCount" value="{{burstCount}}" min="1"></div>
              <div class="field"><label for="policy-burst-unit">per</label><select id="policy-burst-unit" name="burstTimeUnit">{{#burstTimeUnits}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/burstTimeUnits}}</select></div>
            </div>
            <div class="field"><label for="policy-billing">Billing plan</label><select id="policy-billing" name="billingPlan">{{#billingPlans}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/billingPlans}}</select></div>
            <label class="checks"><input type="checkbox" name="stopOnQuotaReach" value="true"{{#stopOnQuotaReach}} checked{{/stopOnQuotaReach}}> Stop calls when the quota is reached</label>
            {{/isSubscription}}
            <div class="actions"><button type="submit">{{#isEdit}}Save policy{{/isEdit}}{{^isEdit}}Create policy{{/isEdit}}</button><a class="button secondary" href="/admin/policies?level={{segment}}">Cancel</a></div>
          </form>
        </section>
        {{/content}}
        {{/shared/layout}}
        """
}
