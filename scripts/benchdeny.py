"""`scripts/bench --deny-policies`: enabled deny policies (WSO2's blocking conditions) on each Sluice node that match
none of the benchmark's calls but make the throttle handler run each kind of check on every chain call: an API
context (a second API, created and never called), an application (a second application of admin's, never used), an
address and an address range the loopback client is not in."""


def add_deny_policies(request, management, admin, backend_port):
    """Creates the second API and application, then the four conditions, through the REST APIs as an administrator
    would; fails the run when any is refused."""
    publisher = f"{management}/api/am/publisher/v4"
    devportal = f"{management}/api/am/devportal/v3"
    deny = f"{management}/api/am/admin/v4/throttling/deny-policies"
    api = {
        "name": "BenchBlocked", "context": "/blocked", "version": "1.0.0", "provider": "admin",
        "policies": ["Unlimited"], "visibility": "PUBLIC",
        "endpointConfig": {"endpoint_type": "http",
                           "production_endpoints": {"url": f"http://127.0.0.1:{backend_port}/bench"}},
        "operations": [{"target": "/1k", "verb": "GET", "authType": "Application & Application User",
                        "throttlingPolicy": "Unlimited"}],
    }
    steps = [
        (f"{publisher}/apis", api),
        (f"{devportal}/applications", {"name": "bench-Blocked", "throttlingPolicy": "Unlimited"}),
        (deny, {"conditionType": "API", "conditionValue": "/blocked/1.0.0", "conditionStatus": True}),
        (deny, {"conditionType": "APPLICATION", "conditionValue": "admin:bench-Blocked", "conditionStatus": True}),
        (deny, {"conditionType": "IP", "conditionValue": {"fixedIp": "192.0.2.1", "invert": False},
                "conditionStatus": True}),
        (deny, {"conditionType": "IPRANGE", "conditionStatus": True,
                "conditionValue": {"startingIp": "10.0.0.0", "endingIp": "10.255.255.255", "invert": False}}),
    ]
    for url, body in steps:
        status, answer = request("POST", url, body, auth=admin)
        if status not in (200, 201):
            raise SystemExit(f"--deny-policies: POST {url} failed: {status} {answer}")
