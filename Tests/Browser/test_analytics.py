"""Analytics in a real browser: calls through the gateway with two applications' tokens (and one refused token),
then the Admin's and the Publisher's analytics pages and the Store's usage page show exactly those calls, per API,
application, user, status class and fault code; the filters narrow them and the CSV export agrees. Screenshots go
to .build/portal-screenshots/analytics-*."""

import csv
import io
import unittest

from selenium.webdriver.common.by import By

from harness import ADMIN_PASSWORD, PortalTestCase, eventually, request

DEVPORTAL = "/api/am/devportal/v3"


class AnalyticsStoryTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            servers = cls.servers
            cls.pizza = servers.publish_api("StatsPizza", "/statspizza", ["stats"], "Menu for the analytics story.")
            cls.weather = servers.publish_api(
                "StatsWeather", "/statsweather", ["stats"], "Weather for the analytics story.")
            cls.tokens = {}
            cls.applications = {}
            for name, apis in (("StatsShop", (cls.pizza, cls.weather)), ("StatsDesk", (cls.pizza,))):
                status, application = servers.admin(
                    "POST", DEVPORTAL + "/applications", {"name": name, "throttlingPolicy": "Unlimited"})
                assert status == 201, (status, application)
                cls.applications[name] = application["applicationId"]
                for api in apis:
                    status, body = servers.admin("POST", DEVPORTAL + "/subscriptions", {
                        "applicationId": application["applicationId"], "apiId": api, "throttlingPolicy": "Gold"})
                    assert status == 201, (status, body)
                status, keys = servers.admin(
                    "POST", f"{DEVPORTAL}/applications/{application['applicationId']}/generate-keys",
                    {"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]})
                assert status == 200, (status, keys)
                cls.tokens[name] = keys["token"]["accessToken"]
            cls.make_calls()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def make_calls(cls):
        """10 calls: StatsShop 3 to the menu and 2 to the weather, StatsDesk 4 to the menu, one refused token."""
        gateway = cls.servers.gateway

        def call(path, token):
            return request("GET", gateway + path, headers={"Authorization": f"Bearer {token}"})[0]

        # The gateway deploys published APIs within a second or so.
        for path in ("/statspizza/1.0.0/menu", "/statsweather/1.0.0/menu"):
            eventually(lambda: call(path, cls.tokens["StatsShop"]) == 200, timeout=20, message=path)
        # The two calls above count too: 1 + 2 more to the menu, 1 + 1 more to the weather.
        for path, token, times in (
            ("/statspizza/1.0.0/menu", "StatsShop", 2), ("/statsweather/1.0.0/menu", "StatsShop", 1),
            ("/statspizza/1.0.0/menu", "StatsDesk", 4),
        ):
            for _ in range(times):
                assert call(path, cls.tokens[token]) == 200
        assert call("/statspizza/1.0.0/menu", "not-a-token") == 401

    def sign_in(self, area):
        self.open(f"/{area}/signin")
        if not self.driver.find_elements(By.NAME, "username"):
            return  # one session opens every area the administrator's roles allow
        self.fill({"username": "admin", "password": ADMIN_PASSWORD})
        self.submit("form.stacked button[type=submit]")

    def figure(self, testid):
        return int(self.text(f"[data-testid={testid}]"))

    def row(self, section, name, field="requests"):
        """A breakdown row's figure, by the row's name."""
        rows = self.driver.find_elements(
            By.CSS_SELECTOR, f"[data-testid=analytics-{section}] .analytics-row[data-name='{name}']")
        self.assertEqual(len(rows), 1, f"{section} / {name}")
        return int(rows[0].find_element(By.CSS_SELECTOR, f"[data-field={field}]").text)

    def wait_for_calls(self, path, testid, count):
        def shown():
            self.open(path)
            return self.figure(testid) >= count
        eventually(shown, timeout=30, interval=1, message=f"{count} calls on {path}")
        self.assertEqual(self.figure(testid), count)

    def test_dashboards_count_the_calls_made(self):
        # The admin-wide view: every call, named.
        self.sign_in("admin")
        self.wait_for_calls("/admin/analytics?range=1h", "analytics-requests", 10)
        self.assertEqual(self.figure("analytics-errors"), 1)
        self.assertEqual(self.figure("analytics-throttled"), 0)
        self.assertEqual(self.row("apis", "StatsPizza 1.0.0"), 8)
        self.assertEqual(self.row("apis", "StatsWeather 1.0.0"), 2)
        self.assertEqual(self.row("applications", "StatsShop"), 5)
        self.assertEqual(self.row("applications", "StatsDesk"), 4)
        self.assertEqual(self.row("applications", "(no application)"), 1)
        self.assertEqual(self.row("users", "admin"), 9)
        self.assertEqual(self.row("status", "2xx"), 9)
        self.assertEqual(self.row("status", "4xx"), 1)
        self.assertEqual(self.row("faults", "900901"), 1)
        self.assertEqual(self.row("tiers", "Gold"), 9)
        self.assertEqual(sum(int(e.text) for e in self.driver.find_elements(
            By.CSS_SELECTOR, "[data-testid=analytics-backends] [data-field=requests]")), 9)
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart polyline"))
        self.screenshot("analytics-admin")

        # Filters: one API, then one application.
        self.fill({"apiId": self.weather})
        self.submit("form.analytics-filter button[type=submit]")
        self.assertEqual(self.figure("analytics-requests"), 2)
        self.open(f"/admin/analytics?range=1h&applicationId={self.applications['StatsDesk']}")
        self.assertEqual(self.figure("analytics-requests"), 4)
        self.screenshot("analytics-admin-filtered")

        # The CSV export says the same.
        status, text = request("GET", self.servers.management + "/api/am/admin/v4/analytics?format=csv",
                               auth=("admin", ADMIN_PASSWORD))
        self.assertEqual(status, 200)
        rows = list(csv.DictReader(io.StringIO(text)))
        by_section = {(row["section"], row["name"]): int(row["requests"]) for row in rows}
        self.assertEqual(by_section[("total", "all calls")], 10)
        self.assertEqual(by_section[("api", "StatsPizza 1.0.0")], 8)
        self.assertEqual(by_section[("application", "StatsShop")], 5)
        self.assertEqual(sum(int(row["requests"]) for row in rows if row["section"] == "timeline"), 10)

        # The Publisher: the administrator sees every API there too.
        self.sign_in("publisher")
        self.open("/publisher")
        self.driver.find_element(By.CSS_SELECTOR, "[data-testid=publisher-analytics]").click()
        self.assertEqual(self.path(), "/publisher/analytics")
        self.wait_for_calls("/publisher/analytics?range=1h", "analytics-requests", 10)
        self.assertEqual(self.row("apis", "StatsPizza 1.0.0"), 8)
        self.screenshot("analytics-publisher")

        # The Store: one application's own calls with the same breakdowns.
        self.sign_in("store")
        shop = self.applications["StatsShop"]
        self.wait_for_calls(f"/store/applications/{shop}/usage?hours=1", "usage-requests", 5)
        self.assertEqual(self.row("apis", "StatsPizza 1.0.0"), 3)
        self.assertEqual(self.row("apis", "StatsWeather 1.0.0"), 2)
        self.assertEqual(self.row("status", "2xx"), 5)
        self.screenshot("analytics-store")


if __name__ == "__main__":
    unittest.main()
