"""Sends WSO2-shaped requests to every operation Sluice serves and checks the answers against WSO2's schemas.

Request bodies are built from WSO2's request schemas with every property: its `example`, `default` or first `enum`
value where WSO2 gives one, else a plain value of its type; nested objects and arrays likewise. A PUT keeps the
identity (name, context, version, policy name) of the object it replaces, as a client editing what it read does. Path parameters come from objects the run creates first (an API, a document, an
application with keys, a subscription, a comment); required query parameters from the same, else WSO2's examples.
"""

import base64
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft4Validator

API_NAME, API_CONTEXT = "ConformanceAPI", "/conformance"


def http(method, url, body=None, auth=None, content_type="application/json", timeout=30):
    """(status, headers, parsed JSON or text)."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, answer_headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, dict(error.headers), error.read()
    text = raw.decode(errors="replace")
    try:
        parsed = json.loads(text) if text[:1] in "{[" and text else text
    except ValueError:
        parsed = text
    return status, answer_headers, parsed


def resolve(definition, schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        names = schema["$ref"].split("/")[1:]
        schema = definition
        for name in names:
            schema = schema[name]
        seen += 1
    return schema


def example_of(definition, schema, depth=0, required=True):
    """A value shaped like `schema` with every property, from WSO2's own examples where it has them (else a plain
    value of the type); None for what cannot be built."""
    required = True
    schema = resolve(definition, schema)
    if not isinstance(schema, dict) or depth > 8:
        return None
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema and "properties" not in schema:
            merged = {}
            for part in schema[combined]:
                value = example_of(definition, part, depth + 1, required)
                if isinstance(value, dict):
                    merged.update(value)
                elif value is not None:
                    return value
            return merged or None
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        needed = set(schema.get("required", []))
        body = {}
        for name, property_schema in (schema.get("properties") or {}).items():
            if resolve(definition, property_schema).get("readOnly"):
                continue
            value = example_of(definition, property_schema, depth + 1, name in needed)
            if value is not None:
                body[name] = value
        return body if body or required else None
    if kind == "array":
        item = example_of(definition, schema.get("items", {}), depth + 1, False)
        return [item] if item not in (None, {}) else ([] if required else None)
    if not required:
        return None
    return {"string": "example", "integer": 1, "number": 1, "boolean": False}.get(kind)


def json_schema(schema):
    """OpenAPI 3.0's schema dialect as JSON Schema draft 4: `nullable: true` also admits null.

    WSO2 generates its server from these definitions with swagger-codegen, where a map written
    `additionalProperties: {type: object}` is Java's `Map<String, Object>`: its values are any JSON value (the
    `ConsumerSecret` example and WSO2's server send strings and numbers there), so such a map admits any value.
    """
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: json_schema(value) for key, value in schema.items() if key not in ("nullable", "example")}
    if schema.get("additionalProperties") == {"type": "object"}:
        converted["additionalProperties"] = {}
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


IDENTITY = ("name", "context", "version", "provider", "policyName", "applicationId", "apiId")
DROP = object()
# Where a WSO2 example cannot apply as such to the run's objects.
OVERRIDES = {
    # The run's application already has PRODUCTION keys (made in setup).
    ("POST", "/applications/{applicationId}/generate-keys"): {"keyType": "SANDBOX"},
    # The owner needs no consumer secret; WSO2's example secret is not this application's.
    ("POST", "/applications/{applicationId}/keys/{keyType}/generate-token"): {"consumerSecret": DROP},
    ("POST", "/applications/{applicationId}/oauth-keys/{keyMappingId}/generate-token"): {"consumerSecret": DROP},
    # The run's first application is subscribed already (setup).
    ("POST", "/subscriptions"): {"applicationId": "@secondApplicationId"},
    # WSO2's example declares `apim:api_view`, a scope of the REST APIs themselves, which Sluice refuses on an API.
    # WSO2's example category is an empty name; the run's category exists.
    ("POST", "/apis"): {"scopes": [{"scope": {"name": "conformance_read", "displayName": "Read",
                                              "description": "Read the conformance API", "bindings": ["admin"]},
                                    "shared": False}],
                        "categories": ["ConformanceCategory"]},
    ("PUT", "/apis/{apiId}"): {"scopes": [{"scope": {"name": "conformance_write", "displayName": "Write",
                                                     "description": "Read the conformance API", "bindings": ["admin"]},
                                           "shared": False}],
                                "categories": ["ConformanceCategory"]},
    # WSO2's example product names APIs of its own server: the run's API instead.
    ("POST", "/api-products"): {"apis": lambda ids: [{"apiId": ids["apiId"],
                                                      "operations": [{"target": "/items", "verb": "GET"}]}],
                                "categories": ["ConformanceCategory"]},
    ("PUT", "/api-products/{apiProductId}"): {"apis": lambda ids: [{"apiId": ids["apiId"],
                                                                    "operations": [{"target": "/items", "verb": "GET"}]}],
                                              "categories": ["ConformanceCategory"]},
    # The SANDBOX keys that clean-up removed just before (map-keys sorts after keys/{keyType}/clean-up).
    ("POST", "/applications/{applicationId}/map-keys"): {"keyType": "SANDBOX"},
    # One item (WSO2's two would be the same pair here), for an application not subscribed yet.
    ("POST", "/subscriptions/multiple"): {"applicationId": "@thirdApplicationId"},
    # A user who exists (WSO2's example names none).
    ("POST", "/applications/{applicationId}/change-settings"): {"owner": "@username"},
    # WSO2's example name is the one the POST before took.
    ("PUT", "/api-categories/{apiCategoryId}"): {"name": "ConformanceCategory"},
    ("PUT", "/labels/{labelId}"): {"name": "ConformanceLabel2"},
    # The run's label (WSO2's example id is of its own server).
    ("POST", "/apis/{apiId}/attach-labels"): {"labels": ["@labelId"]},
    ("POST", "/apis/{apiId}/detach-labels"): {"labels": ["@labelId"]},
    # The run must keep its password.
    ("POST", "/me/change-password"): {"currentPassword": "@adminPassword", "newPassword": "@adminPassword"},
}
# restpub7: shared scopes, operation policies, products' import/export, endpoints (one block, kept together).
OVERRIDES.update({
    # WSO2's example names a REST API scope, which exists already here (409): a new name.
    ("POST", "/scopes"): {"name": "conformance_shared_new"},
    # WSO2's example aliases are a user-store role Sluice does not have and the role itself: roles that exist.
    ("PUT", "/system-scopes/role-aliases"): {"list": [{"role": "Internal/subscriber", "aliases": ["Internal/creator"]}]},
})
PUBLISHER_PATH_OVERRIDES = {
    # HEAD takes the scope's name in base64url (WSO2's scopeName), the other operations its id.
    ("HEAD", "/scopes/{scopeId}"): {"scopeId": "@sharedScopeName"},
    # The API's own policy (the other operations under the API may name a common one).
    ("DELETE", "/apis/{apiId}/operation-policies/{operationPolicyId}"): {"operationPolicyId": "@apiOperationPolicyId"},
}
PUBLISHER_QUERY_OVERRIDES = {
    ("GET", "/operation-policies/export"): {"name": "addHeader", "version": "v1"},
    ("GET", "/api-products/export"): {"name": "ConformanceProduct", "version": "1.0.0"},
    # A user who exists (the run's API is the admin's: the change is a no-op that must still succeed).
    ("POST", "/apis/{apiId}/change-provider"): {"provider": "admin"},
}
POLICY_SPEC = """{"type": "operation_policy_specification", "version": "v4.2.0", "data": {
  "category": "Mediation", "name": "%s", "version": "v1", "displayName": "Conformance", "description": "A property",
  "applicableFlows": ["request", "response"], "supportedGateways": ["Synapse"], "supportedApiTypes": ["HTTP"],
  "policyAttributes": [{"name": "value", "displayName": "Value", "type": "String", "required": true}]}}"""
POLICY_DEFINITION = '<property name="conformance" value="{{value}}"/>'


def multipart(parts):
    """(body, content type) of a multipart/form-data form of (name, file name, text) parts."""
    boundary = "conformance-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file}"\r\n\r\n{text}\r\n'.encode()
        for name, file, text in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def setup_publisher_objects(run, publisher):
    """restpub7's objects: a shared scope, a common and an API-specific operation policy."""
    scope = run.must("POST", f"{publisher}/scopes", {"name": "conformance_shared", "bindings": ["admin"]})
    run.ids["scopeId"] = scope["id"]
    run.ids["sharedScopeName"] = base64.urlsafe_b64encode(b"conformance_shared").decode().rstrip("=")
    for key, path, name in (("operationPolicyId", "/operation-policies", "conformanceCommon"),
                            ("apiOperationPolicyId", f"/apis/{run.ids['apiId']}/operation-policies", "conformanceOwn")):
        body, media = multipart([("policySpecFile", "spec.json", POLICY_SPEC % name),
                                 ("synapsePolicyDefinitionFile", "policy.j2", POLICY_DEFINITION)])
        status, _, answer = run.call("POST", f"{publisher}{path}", body, content_type=media)
        if status != 201:
            raise SystemExit(f"setup: POST {publisher}{path} answered {status}: {answer}")
        run.ids[key] = answer["id"]


# Required query parameters the run's objects answer.
QUERY_OVERRIDES = {
    ("POST", "/apis/validate"): {"query": f"name:{API_NAME}"},
    ("POST", "/apis/{apiId}/documents/validate"): {"name": "Guide"},
}
# Path parameters of operations that would spoil the run's objects for the operations after them.
PATH_OVERRIDES = {
    ("POST", "/applications/{applicationId}/keys/{keyType}/clean-up"): {"keyType": "SANDBOX"},
    ("POST", "/applications/{applicationId}/oauth-keys/{keyMappingId}/clean-up"): {
        "applicationId": "@thirdApplicationId", "keyMappingId": "@thirdKeyMappingId"},
    ("GET", "/throttling-policies/{policyLevel}/{policyId}"): {"policyId": "Unlimited"},
    ("GET", "/throttling-policies/{policyLevel}/{policyName}"): {"policyName": "Unlimited"},
    # The publisher and the devportal delete different comments; the admin API another application.
    ("DELETE", "/api/am/devportal/v3/apis/{apiId}/comments/{commentId}"): {"commentId": "@secondCommentId"},
    ("DELETE", "/api/am/admin/v4/applications/{applicationId}"): {"applicationId": "@secondApplicationId"},
}
PATH_OVERRIDES.update(PUBLISHER_PATH_OVERRIDES)
QUERY_OVERRIDES.update(PUBLISHER_QUERY_OVERRIDES)
# Where WSO2's server answers another status than its definition documents: checked against the documented one.
SERVER_STATUSES = {
    ("POST", "/apis/{apiId}/deploy-revision"): {201: 200},
    ("POST", "/api-products/{apiProductId}/deploy-revision"): {201: 200},
}
# Where WSO2's definition and WSO2's own server disagree, Sluice answers as the server does (WSO2's clients are
# written against the server) and the run checks the answer against the server's shape: operation -> (the shape
# built from the definition's schema, the evidence). docs/management-api.md lists the same cases.
SERVER_SHAPES = {
    ("GET", "/apis/{apiId}/subscription-policies"): (
        lambda schema: {"type": "array", "items": schema},
        "a bare array of the API's tiers (carbon-apimgt ApisApiServiceImpl.getAPISubscriptionPolicies answers "
        "Response.ok().entity(List<Tier>)); the definition says one ThrottlingPolicy",
    ),
}
# Optional query parameters the run still fills from the objects it made (the operation needs them to succeed).
FILLED_OPTIONAL_QUERY = {"revisionId"}

# restadmin: devportal application and admin operations (export/import, secrets, deny policies, API keys).
QUERY_OVERRIDES.update({
    ("GET", "/throttling/policies/export"): {"name": "Gold", "type": "sub"},
    ("GET", "/transaction-count"): {"startTime": "0", "endTime": "4102444800000"},
})
RESTADMIN_IDS = {"appName": "ConformanceApp", "appOwner": "admin"}
# Ids answers carry that later operations name (a secret made by generate-secret, revoked by revoke-secret).
RESTADMIN_CAPTURED = ("secretId", "conditionId")
OVERRIDES.update({
    ("POST", "/applications/{applicationId}/oauth-keys/{keyMappingId}/revoke-secret"): {"secretId": "@secretId"},
})


class ConformanceRun:
    def __init__(self, url, admin, wso2, rows, verbose=False):
        self.url, self.admin, self.wso2, self.verbose = url, admin, wso2, verbose
        self.rows = [row for row in rows if row["served"]]
        self.ids = {"keyType": "PRODUCTION", "username": admin[0], "policyLevel": "subscription", "roleId": "admin",
                    "scopeName": "apim:api_view", "environmentId": "Default", "adminPassword": admin[1], "owner": admin[0]}
        self.ids.update(RESTADMIN_IDS)
        self.results = []
        self.server_shapes = set()

    def call(self, method, path, body=None, **options):
        return http(method, self.url + path, body, auth=self.admin, **options)

    def must(self, method, path, body=None, expected=(200, 201)):
        status, _, answer = self.call(method, path, body)
        if status not in expected:
            raise SystemExit(f"setup: {method} {path} answered {status}: {answer}")
        return answer

    def setup(self):
        """The objects whose ids the operations' paths need, made with requests Sluice is known to take."""
        publisher, devportal, admin = "/api/am/publisher/v4", "/api/am/devportal/v3", "/api/am/admin/v4"
        api = self.must("POST", f"{publisher}/apis", {
            "name": API_NAME, "context": API_CONTEXT, "version": "1.0.0", "policies": ["Unlimited"],
            "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "http://127.0.0.1:9/x"}},
            "operations": [{"target": "/items", "verb": "GET"}]})
        self.ids["apiId"] = api["id"]
        self.must("POST", f"{publisher}/apis/change-lifecycle?apiId={api['id']}&action=Publish")
        document = self.must("POST", f"{publisher}/apis/{api['id']}/documents", {
            "name": "Guide", "type": "HOWTO", "sourceType": "INLINE", "inlineContent": "Read me",
            "visibility": "API_LEVEL"})
        self.ids["documentId"] = document["documentId"]
        application = self.must("POST", f"{devportal}/applications",
                                {"name": "ConformanceApp", "throttlingPolicy": "Unlimited"})
        self.ids["applicationId"] = application["applicationId"]
        keys = self.must("POST", f"{devportal}/applications/{application['applicationId']}/generate-keys",
                         {"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]})
        self.ids["keyMappingId"] = keys["keyMappingId"]
        subscription = self.must("POST", f"{devportal}/subscriptions", {
            "applicationId": application["applicationId"], "apiId": api["id"], "throttlingPolicy": "Unlimited"})
        self.ids["subscriptionId"] = subscription["subscriptionId"]
        second = self.must("POST", f"{devportal}/applications",
                           {"name": "ConformanceApp2", "throttlingPolicy": "Unlimited"})
        self.ids["secondApplicationId"] = second["applicationId"]
        third = self.must("POST", f"{devportal}/applications",
                          {"name": "ConformanceApp3", "throttlingPolicy": "Unlimited"})
        self.ids["thirdApplicationId"] = third["applicationId"]
        self.ids["thirdKeyMappingId"] = self.must(
            "POST", f"{devportal}/applications/{third['applicationId']}/generate-keys",
            {"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]})["keyMappingId"]
        comment = self.must("POST", f"{devportal}/apis/{api['id']}/comments", {"content": "Nice"})
        self.ids["commentId"] = comment.get("id") or comment.get("commentId")
        self.ids["secondCommentId"] = self.must("POST", f"{devportal}/apis/{api['id']}/comments", {"content": "Fine"})["id"]
        self.ids["keyManagerId"] = self.must("GET", f"{admin}/key-managers")["list"][0]["id"]
        self.ids["apiCategoryId"] = self.must("POST", f"{admin}/api-categories", {"name": "ConformanceCategory"})["id"]
        self.ids["labelId"] = self.must("POST", f"{admin}/labels", {"name": "ConformanceLabel"})["id"]
        revision = self.must("POST", f"{publisher}/apis/{api['id']}/revisions", {"description": "conformance"})
        self.ids["revisionId"] = revision["id"]
        self.must("POST", f"{publisher}/apis/{api['id']}/deploy-revision?revisionId={revision['id']}",
                  [{"name": "Default", "vhost": "localhost", "displayOnDevportal": True}])
        self.ids["deploymentId"] = "Default"
        # An API product of the run's API, with a document and a deployed revision (ids under "product:").
        product = self.must("POST", f"{publisher}/api-products", {
            "name": "ConformanceProduct", "context": "/conformance-product", "version": "1.0.0",
            "policies": ["Unlimited"], "apis": [{"apiId": api["id"], "operations": [{"target": "/items", "verb": "GET"}]}]})
        self.ids["apiProductId"] = product["id"]
        self.must("POST", f"{publisher}/api-products/change-lifecycle?apiProductId={product['id']}&action=Publish")
        product_document = self.must("POST", f"{publisher}/api-products/{product['id']}/documents", {
            "name": "Guide", "type": "HOWTO", "sourceType": "INLINE", "inlineContent": "Read me",
            "visibility": "API_LEVEL"})
        self.ids["product:documentId"] = product_document["documentId"]
        product_revision = self.must("POST", f"{publisher}/api-products/{product['id']}/revisions", {})
        self.ids["product:revisionId"] = product_revision["id"]
        self.must("POST", f"{publisher}/api-products/{product['id']}/deploy-revision?revisionId={product_revision['id']}",
                  [{"name": "Default", "vhost": "localhost", "displayOnDevportal": True}])
        setup_publisher_objects(self, publisher)
        for level in ("subscription", "application", "advanced"):
            policies = self.must("GET", f"{admin}/throttling/policies/{level}")
            if policies["list"]:
                self.ids[f"{level}:policyId"] = policies["list"][0]["policyId"]

    def order(self, row):
        """Reads and writes first, deletes last, the deepest paths first (a subscription before its API)."""
        if row["method"] != "DELETE":
            return (0, row["method"] == "GET", row["path"])
        last = ["/subscriptions/", "/applications/", "/apis/{apiId}"]
        rank = next((index for index, prefix in enumerate(last) if row["path"].startswith(prefix)
                     and row["path"].count("/") == 2), -1)
        return (1, rank, -row["path"].count("/"), row["path"])

    def target(self, row):
        level = re.search(r"/policies/(\w+)/", row["path"])
        scope = level.group(1) if level else "product" if row["path"].startswith("/api-products") else None
        chosen = PATH_OVERRIDES.get((row["method"], row["base"] + row["path"]),
                                    PATH_OVERRIDES.get((row["method"], row["path"]), {}))
        def fill(match):
            name = match.group(1)
            value = self.ids.get(f"{scope}:{name}" if scope else name) or self.ids.get(name)
            if name in chosen:
                value = self.ids[chosen[name][1:]] if chosen[name].startswith("@") else chosen[name]
            return urllib.parse.quote(str(value or "unknown-" + name), safe="")
        path = row["base"] + re.sub(r"\{([^}]+)\}", fill, row["path"])
        definition = self.wso2[row["base"]][1]
        query = {}
        for parameter in row["operation"].get("parameters", []):
            parameter = resolve(definition, parameter)
            name = parameter.get("name")
            if parameter.get("in") != "query" or not (parameter.get("required") or name in FILLED_OPTIONAL_QUERY):
                continue
            value = (self.ids.get(f"{scope}:{name}") if scope else None) or self.ids.get(name)
            if value is None:
                value = example_of(definition, parameter.get("schema", {})) or parameter.get("example", "example")
            query[name] = value
        query.update(QUERY_OVERRIDES.get((row["method"], row["path"]), {}))
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return path

    def body(self, row):
        """(bytes or JSON value, content type), or (None, None) when the operation takes no body."""
        definition = self.wso2[row["base"]][1]
        request_body = resolve(definition, row["operation"].get("requestBody"))
        if not request_body:
            return None, None
        content = request_body.get("content", {})
        if "application/json" in content:
            media = content["application/json"]
            body = media["example"] if "example" in media else example_of(definition, media.get("schema", {})) or {}
            if isinstance(body, list) and body and isinstance(body[0], dict):
                return [self.filled(row, dict(body[0]))], "application/json"
            if isinstance(body, dict):
                body = self.filled(row, body)
            return body, "application/json"
        return None, next(iter(content), None)

    def filled(self, row, body):
        """`body` with the run's ids and the operation's overrides."""
        # WSO2's example ids name objects of its own server: use the run's.
        body.update({name: value for name, value in self.ids.items() if name in body})
        def chosen(value):
            if callable(value):
                return value(self.ids)
            if isinstance(value, list):
                return [chosen(item) for item in value]
            return self.ids[value[1:]] if isinstance(value, str) and value.startswith("@") else value
        body.update({name: chosen(value) for name, value in OVERRIDES.get((row["method"], row["path"]), {}).items()})
        for name in [name for name, value in body.items() if value is DROP]:
            del body[name]
        if row["method"] == "PUT":
            body.update(self.identity(self.target(row)))
        return body

    def identity(self, path):
        """The fields of the object at `path` that a replacement may not change."""
        status, _, current = self.call("GET", path)
        if status != 200 or not isinstance(current, dict):
            return {}
        return {name: current[name] for name in IDENTITY if name in current}

    def check_schema(self, row, status, answer):
        definition = self.wso2[row["base"]][1]
        responses = row["operation"].get("responses", {})
        status = SERVER_STATUSES.get((row["method"], row["path"]), {}).get(status, status)
        response = resolve(definition, responses.get(status, responses.get(str(status))))
        if not response:
            return [f"WSO2 documents no {status} answer"]
        schema = (response.get("content") or {}).get("application/json", {}).get("schema")
        if schema is None or (resolve(definition, schema).get("type") == "string" and not isinstance(answer, str)):
            return []  # WSO2 types a served document (an OpenAPI definition) as a string
        schema = json_schema(resolve(definition, schema))
        server_shape = SERVER_SHAPES.get((row["method"], row["path"]))
        if server_shape:
            schema = server_shape[0](schema)
            self.server_shapes.add(f"{row['method']} {row['path']}: {server_shape[1]}")
        validator = Draft4Validator(dict(schema, components=json_schema(definition["components"])))
        return [f"{'.'.join(map(str, error.absolute_path)) or '(body)'}: {error.message[:160]}"
                for error in validator.iter_errors(answer)][:5]

    def send(self, row):
        path = self.target(row)
        body, media = self.body(row)
        label = f"{row['method']} {row['base']}{row['path']}"
        if media is not None and body is None:
            self.results.append(dict(label=label, status=None, note=f"not sent: {media} body"))
            return
        status, headers, answer = self.call(row["method"], path, body)
        problems = self.check_schema(row, status, answer) if 200 <= status < 300 else []
        ignored = headers.get("Sluice-Ignored-Fields", "")
        if 200 <= status < 300 and isinstance(answer, dict) and "apikey" in answer:
            self.ids["apikey"] = answer["apikey"]  # for the revocation that follows
        if 200 <= status < 300 and isinstance(answer, dict):
            self.ids.update({name: answer[name] for name in RESTADMIN_CAPTURED if name in answer})
        note = "; ".join(problems) if problems else ("" if status < 300 else str(answer)[:200])
        self.results.append(dict(label=label, status=status, problems=problems, ignored=ignored, note=note))
        if self.verbose:
            print(f"{status} {label} {note}", file=sys.stderr)

    def execute(self):
        self.setup()
        for row in sorted(self.rows, key=self.order):
            self.send(row)
        sent = [result for result in self.results if result["status"] is not None]
        server_errors = [result for result in sent if result["status"] >= 500]
        succeeded = [result for result in sent if result["status"] < 300]
        conformant = [result for result in succeeded if not result["problems"]]
        for result in self.results:
            if result["status"] is None or result["status"] >= 300 or result.get("problems"):
                print(f"{result['status'] or '-'}  {result['label']}  {result['note']}")
        print(f"\nserved WSO2 operations: {len(self.rows)}; sent {len(sent)} "
              f"({len(self.results) - len(sent)} not sent: form or file bodies); 2xx {len(succeeded)}, "
              f"4xx {len(sent) - len(succeeded) - len(server_errors)}, 5xx {len(server_errors)}; "
              f"2xx bodies valid against WSO2's schema: {len(conformant)} of {len(succeeded)}")
        refused = [result for result in sent if "Unknown field" in str(result["note"])]
        if refused:
            print(f"{len(refused)} operations refused a property of WSO2's request schema")
        for shape in sorted(self.server_shapes):
            print(f"checked against WSO2's server's shape, not its definition: {shape}")
        invalid = len(succeeded) - len(conformant)
        if invalid:
            print(f"{invalid} 2xx bodies are not valid against WSO2's schema")
        return 1 if server_errors or refused or invalid else 0
