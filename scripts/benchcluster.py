"""The cluster part of `scripts/bench --cluster` (Python 3 standard library only).

Starts a throwaway PostgreSQL (`scripts/postgres`), a control plane (key-manager, publisher, devportal, admin) and
gateway nodes, each `sluice server` over its own copy of repository/, so the benchmark can load one gateway node of a
cluster in the same run as the all-in-one node. Measures how long a publish takes to be served and a revocation to be
refused on every gateway while wrk loads all of them, and counts the database's transactions during a load run (the
request path must make none). Every process is stopped by PID; the database folder is deleted at the end.
"""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import threading
import time

from benchlib import ROOT, free_port, log, request, wait_for

CONTROL_PLANE_ROLES = "key-manager,publisher,devportal,admin"


def node_configuration(database_url, key_manager_url=None):
    """api-manager.xml of a cluster node; ports and roles come from the command line."""
    key_manager = f"<KeyManager><URL>{key_manager_url}</URL></KeyManager>" if key_manager_url else ""
    return (f"<APIManager><BindAddress>127.0.0.1</BindAddress>"
            f"<Database><Type>postgres</Type><URL>{database_url.replace('&', '&amp;')}</URL></Database>"
            f"{key_manager}</APIManager>\n")


class Cluster:
    """One PostgreSQL, one control plane and `gateways` gateway nodes on loopback."""

    def __init__(self, processes, work, bin_path, admin_password, prepare_repository, gateways=2):
        self.processes = processes
        self.work = work
        self.bin_path = bin_path
        self.admin_password = admin_password
        self.prepare_repository = prepare_repository  # (path, control plane's management port)
        self.management_port = free_port()
        self.gateway_ports = [free_port() for _ in range(gateways)]
        self.gateway_processes = []
        self.database_url = None
        self.database_dir = None

    @property
    def management(self):
        return f"http://127.0.0.1:{self.management_port}"

    def gateway(self, index):
        return f"http://127.0.0.1:{self.gateway_ports[index]}"

    def start(self):
        exports = subprocess.run([os.path.join(ROOT, "scripts/postgres"), "start"], check=True, capture_output=True,
                                 text=True).stdout
        values = dict(re.findall(r"export (\w+)=(\S+)", exports))
        self.database_url, self.database_dir = values["SLUICE_TEST_POSTGRES_URL"], values["SLUICE_POSTGRES_DIR"]
        env = dict(os.environ, SLUICE_ADMIN_PASSWORD=self.admin_password)
        control = self.repository("control-plane", None)
        process = self.processes.start(
            [f"{self.bin_path}/sluice", "server", "--repository", control, "--roles", CONTROL_PLANE_ROLES,
             "--management-port", str(self.management_port), "--management-https-port", "off",
             "--log-level", "warning"], f"{self.work}/control-plane.log", env=env)
        wait_for(f"{self.management}/api/am/openapi.json", process=process)
        for index, port in enumerate(self.gateway_ports):
            repository = self.repository(f"gateway{index}", self.management)
            process = self.processes.start(
                [f"{self.bin_path}/sluice", "server", "--repository", repository, "--roles", "gateway",
                 "--gateway-port", str(port), "--gateway-https-port", "off", "--log-level", "warning"],
                f"{self.work}/gateway{index}.log", env=env)
            self.gateway_processes.append(process)
            wait_for(f"{self.gateway(index)}/no-such-api", expected=404, process=process)

    def repository(self, name, key_manager_url):
        path = os.path.join(self.work, name)
        shutil.copytree(os.path.join(ROOT, "repository"), path)
        shutil.rmtree(os.path.join(path, "database"), ignore_errors=True)
        self.prepare_repository(path, self.management_port)
        with open(os.path.join(path, "conf/api-manager.xml"), "w") as handle:
            handle.write(node_configuration(self.database_url, key_manager_url))
        return path

    def stop_database(self):
        if self.database_dir:
            subprocess.run([os.path.join(ROOT, "scripts/postgres"), "stop", self.database_dir], check=False)
            self.database_dir = None

    def transactions(self):
        """Committed and rolled-back transactions of the whole server so far (pg_stat_database)."""
        output = subprocess.run(
            ["psql", self.database_url, "-Atc", "SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database"],
            check=True, capture_output=True, text=True).stdout
        return int(output.strip() or 0)


class Poller(threading.Thread):
    """Polls one URL over a kept-alive connection until `accept(status, body)` holds; records when it did."""

    def __init__(self, base, path, accept, headers=None, timeout=30.0):
        super().__init__(daemon=True)
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.path = host, int(port), path
        self.accept, self.headers, self.timeout = accept, headers or {}, timeout
        self.start_time = None
        self.elapsed = None

    def run(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        deadline = self.start_time + self.timeout
        while time.monotonic() < deadline:
            try:
                connection.request("GET", self.path, headers=self.headers)
                response = connection.getresponse()
                body = response.read().decode(errors="replace")
                if self.accept(response.status, body):
                    self.elapsed = time.monotonic() - self.start_time
                    return
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
            time.sleep(0.002)


def time_until_every_gateway(cluster, path, accept, action, headers=None):
    """Runs `action` and returns, per gateway, the seconds until it answers `path` as `accept` says (None: never)."""
    pollers = [Poller(cluster.gateway(index), path, accept, headers) for index in range(len(cluster.gateway_ports))]
    start = time.monotonic()
    action()
    for poller in pollers:
        poller.start_time = start
        poller.start()
    for poller in pollers:
        poller.join()
    return [poller.elapsed for poller in pollers]


def must(status, body, what, expected=(200, 201)):
    if status not in expected:
        raise SystemExit(f"{what} failed: {status} {body}")
    return body


def subscribed_token(cluster, api_id, name):
    """An application subscribed to `api_id` (Unlimited) with production keys; returns its key, secret and token."""
    admin = ("admin", cluster.admin_password)
    devportal = f"{cluster.management}/api/am/devportal/v3"
    app = must(*request("POST", f"{devportal}/applications", {"name": name, "throttlingPolicy": "Unlimited"},
                        auth=admin), "creating an application")
    must(*request("POST", f"{devportal}/subscriptions", {"applicationId": app["applicationId"], "apiId": api_id,
                                                         "throttlingPolicy": "Unlimited"}, auth=admin), "subscribing")
    keys = must(*request("POST", f"{devportal}/applications/{app['applicationId']}/generate-keys",
                         {"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}, auth=admin),
                "generating keys")
    return keys["consumerKey"], keys["consumerSecret"], keys["token"]["accessToken"]


def measure_propagation(cluster, chain_api_id, backend_port, rounds):
    """Publish → served and revoke → refused on every gateway, `rounds` times each; seconds per gateway and round.

    Publish: an API is created (not timed), then the clock starts as the lifecycle change to Published is sent and
    stops when the gateway answers the API's resource with the chain's 401 (900902) instead of 404. Revoke: a fresh
    token is first seen admitted (200) by every gateway, then the clock starts as /oauth2/revoke is sent and stops when
    the gateway answers 401 for it.
    """
    admin = ("admin", cluster.admin_password)
    publisher = f"{cluster.management}/api/am/publisher/v4"
    published, revoked = [], []
    for round_index in range(rounds):
        definition = {
            "name": f"BenchPropagation{round_index}", "context": f"/propagation{round_index}", "version": "1.0.0",
            "provider": "admin", "policies": ["Unlimited"], "visibility": "PUBLIC",
            "endpointConfig": {"endpoint_type": "http",
                               "production_endpoints": {"url": f"http://127.0.0.1:{backend_port}/bench"}},
            "operations": [{"target": "/1k", "verb": "GET", "authType": "Application & Application User",
                            "throttlingPolicy": "Unlimited"}],
        }
        api = must(*request("POST", f"{publisher}/apis", definition, auth=admin), "creating an API")

        def publish():
            must(*request("POST", f"{publisher}/apis/change-lifecycle?apiId={api['id']}&action=Publish", auth=admin),
                 "publishing")
        published.append(time_until_every_gateway(
            cluster, f"/propagation{round_index}/1.0.0/1k", lambda status, body: status == 401 and "900902" in body,
            publish))

        key, secret, token = subscribed_token(cluster, chain_api_id, f"bench-revoke-{round_index}")
        bearer = {"Authorization": f"Bearer {token}"}
        time_until_every_gateway(cluster, "/chain/1.0.0/1k", lambda status, body: status == 200, lambda: None, bearer)

        def revoke():
            must(*request("POST", f"{cluster.management}/oauth2/revoke", f"token={token}", form=True,
                          auth=(key, secret)), "revoking", expected=(200,))
        revoked.append(time_until_every_gateway(
            cluster, "/chain/1.0.0/1k", lambda status, body: status == 401, revoke, bearer))
    return published, revoked


def propagation_under_load(cluster, chain_api_id, backend_port, rounds, bearer, connections):
    """measure_propagation while one wrk per gateway runs the full chain with `bearer` (stopped by PID after)."""
    loads = []
    try:
        for index in range(len(cluster.gateway_ports)):
            loads.append(subprocess.Popen(
                ["wrk", "-t1", f"-c{connections}", "-d600s", "-H", f"Authorization: Bearer {bearer}",
                 f"{cluster.gateway(index)}/chain/1.0.0/1k"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(2)  # the load is running before the first change
        return measure_propagation(cluster, chain_api_id, backend_port, rounds)
    finally:
        for load in loads:
            load.terminate()
            load.wait()


def summarize(label, samples):
    """One line per gateway: median and max over the rounds, in ms (a round that never arrived is reported)."""
    lines = []
    for index in range(len(samples[0]) if samples else 0):
        values = [sample[index] for sample in samples]
        arrived = [value * 1000 for value in values if value is not None]
        missing = len(values) - len(arrived)
        text = (f"median {statistics.median(arrived):7.1f} ms, max {max(arrived):7.1f} ms" if arrived else "never")
        lines.append(f"{label} gateway {index + 1}: {text} over {len(values)} rounds"
                     + (f", {missing} not within 30 s" if missing else ""))
    return lines


def cluster_log(message):
    log(message, prefix="bench-cluster")
