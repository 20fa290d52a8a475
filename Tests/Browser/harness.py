"""Browser-test harness: starts the debug-built `sluice server` and `sluice-backend` on free loopback ports over a
temporary copy of repository/, drives headless Chromium through Selenium, and stops everything by PID.

Run with Debian's Python (/usr/bin/python3) so Debian's python3-selenium is found; scripts/test-browser does.
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARIES = os.path.join(ROOT, ".build", "debug")
SCREENSHOTS = os.path.join(ROOT, ".build", "portal-screenshots")
ADMIN_PASSWORD = "Browser-Test-Admin-1"
DESKTOP = (1280, 900)
PHONE = (390, 844)


def free_port():
    """A port the OS just gave out (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(method, url, body=None, auth=None, headers=None, timeout=10):
    """An HTTP call with urllib: (status, parsed JSON or text). `auth` is (user, password) for HTTP Basic."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            text = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        status = error.code
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def eventually(check, timeout=20, interval=0.3, message="condition"):
    """Polls `check` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as error:  # noqa: BLE001 - the last error is reported on timeout
            last = error
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}: {last!r}")


class Servers:
    """sluice server (gateway + management) and sluice-backend on free ports, over a throwaway repository."""

    def __init__(self):
        self.workspace = tempfile.mkdtemp(prefix="sluice-browser-")
        self.repository = os.path.join(self.workspace, "repository")
        shutil.copytree(os.path.join(ROOT, "repository"), self.repository)
        shutil.rmtree(os.path.join(self.repository, "database"), ignore_errors=True)
        self.gateway_port = free_port()
        self.management_port = free_port()
        self.backend_port = free_port()
        self.gateway_https_port = free_port()
        self.management_https_port = free_port()
        self.management = f"http://127.0.0.1:{self.management_port}"
        self.gateway = f"http://127.0.0.1:{self.gateway_port}"
        self.backend = f"http://127.0.0.1:{self.backend_port}"
        self.processes = []
        self.logs = []

    def start(self):
        for binary in ("sluice", "sluice-backend"):
            if not os.path.exists(os.path.join(BINARIES, binary)):
                raise RuntimeError(f"{binary} is not built: run `swift build --build-tests` first")
        log = open(os.path.join(self.workspace, "backend.log"), "w")
        self.logs.append(log)
        self.processes.append(subprocess.Popen(
            [os.path.join(BINARIES, "sluice-backend"), "--port", str(self.backend_port)],
            stdout=log, stderr=subprocess.STDOUT))
        log = open(os.path.join(self.workspace, "server.log"), "w")
        self.logs.append(log)
        environment = dict(os.environ, SLUICE_ADMIN_PASSWORD=ADMIN_PASSWORD)
        self.processes.append(subprocess.Popen(
            [os.path.join(BINARIES, "sluice"), "server", "--repository", self.repository,
             "--gateway-port", str(self.gateway_port), "--management-port", str(self.management_port),
             "--gateway-https-port", str(self.gateway_https_port),
             "--management-https-port", str(self.management_https_port), "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env=environment))
        eventually(lambda: request("GET", self.management + "/store")[0] == 200, timeout=60,
                   message="the management server")
        eventually(lambda: self._answers(self.backend + "/"), timeout=30, message="the sample backend")

    @staticmethod
    def _answers(url):
        try:
            request("GET", url, timeout=2)
            return True
        except OSError:
            return False

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []
        for log in self.logs:
            log.close()
        self.logs = []
        if os.environ.get("SLUICE_KEEP_BROWSER_WORKSPACE"):
            print(f"workspace kept at {self.workspace}")
        else:
            shutil.rmtree(self.workspace, ignore_errors=True)

    def server_log(self):
        try:
            with open(os.path.join(self.workspace, "server.log")) as log:
                return log.read()[-4000:]
        except OSError:
            return ""

    # The management REST API as the administrator (how the tests set the scene).

    def admin(self, method, path, body=None):
        return request(method, self.management + path, body, auth=("admin", ADMIN_PASSWORD))

    def publish_api(self, name, context, tags, description, backend_path="/pizzashack"):
        """Creates an API through the publisher REST API and publishes it; returns its id."""
        definition = {
            "name": name, "context": context, "version": "1.0.0", "description": description, "tags": tags,
            "policies": ["Gold", "Unlimited"],
            "endpointConfig": {"endpoint_type": "http",
                               "production_endpoints": {"url": self.backend + backend_path}},
            "operations": [
                {"target": "/menu", "verb": "GET", "authType": "Application", "throttlingPolicy": "Unlimited"},
                {"target": "/order", "verb": "POST", "authType": "Application User", "throttlingPolicy": "Unlimited"},
            ],
        }
        status, api = self.admin("POST", "/api/am/publisher/v4/apis", definition)
        assert status == 201, (status, api)
        status, body = self.admin(
            "POST", f"/api/am/publisher/v4/apis/change-lifecycle?apiId={api['id']}&action=Publish")
        assert status == 200, (status, body)
        return api["id"]


def make_driver():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


class PortalTestCase(unittest.TestCase):
    """Starts the servers and one browser for the whole class; screenshots and form helpers."""

    servers = None
    driver = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        cls.servers = Servers()
        try:
            cls.servers.start()
            cls.driver = make_driver()
        except BaseException:
            cls.servers.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.driver is not None:
            cls.driver.quit()
        if cls.servers is not None:
            cls.servers.stop()

    def setUp(self):
        # Every test starts signed out.
        self.driver.get(self.servers.management + "/store")
        self.driver.delete_all_cookies()

    # Navigation and forms

    def open(self, path):
        self.driver.get(self.servers.management + path)
        self.assert_no_server_error()

    def assert_no_server_error(self):
        heading = self.driver.find_elements(By.TAG_NAME, "h1")
        if heading and heading[0].text in ("Something went wrong", "Not found", "Form expired"):
            self.fail(f"{self.driver.current_url}: {heading[0].text}\n{self.servers.server_log()}")

    def fill(self, fields):
        for name, value in fields.items():
            element = self.driver.find_element(By.NAME, name)
            if element.tag_name == "select":
                element.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, button_css):
        """Clicks a submit button and waits for the next page. While the old page is torn down, Chromium may answer
        the staleness probe with a transient inspector error ("Node with given id does not belong to the
        document") instead of "stale element"; `eventually` retries through it."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, button_css).click()

        def replaced():
            try:
                page.is_enabled()
                return False
            except StaleElementReferenceException:
                return True

        eventually(replaced, timeout=15, interval=0.05, message=f"the page after {button_css}")
        self.assert_no_server_error()

    def text(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def flash(self):
        found = self.driver.find_elements(By.CSS_SELECTOR, ".flash")
        return found[0].text if found else ""

    def path(self):
        return urllib.parse.urlparse(self.driver.current_url).path

    # Screenshots

    def screenshot(self, name):
        """The whole page at desktop and phone width into .build/portal-screenshots/<name>-{desktop,phone}.png."""
        for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": label == "phone"})
            full = self.driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": min(max(full, height), 6000), "deviceScaleFactor": 1,
                "mobile": label == "phone"})
            if label == "phone":
                overflow = self.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                wide = self.driver.execute_script(
                    "var w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *'))"
                    ".filter(function (e) { return e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'); })"
                    ".slice(0, 5)"
                    ".map(function (e) { return e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right); });")
                self.assertLessEqual(overflow, 0, f"{name} scrolls sideways at phone width: {wide}")
            self.driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}-{label}.png"))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
