"""The Admin pages in a real browser: the administrator creates a subscription tier (seen by the admin REST API
and offered by the Publisher's form at once) and a user, changes the user's roles; the new user, not an
administrator, is kept out of /admin. Screenshots go to .build/portal-screenshots/."""

import unittest

from selenium.webdriver.common.by import By

from harness import ADMIN_PASSWORD, PortalTestCase, eventually

USER, PASSWORD = "tina", "Admin-Browser-User-1"


class AdminStoryTest(PortalTestCase):
    def sign_in(self, username, password):
        self.open("/admin/signin")
        self.fill({"username": username, "password": password})
        self.submit("form.stacked button[type=submit]")

    def test_admin_story(self):
        self.open("/admin")
        self.assertEqual(self.path(), "/admin/signin")
        self.sign_in("admin", ADMIN_PASSWORD)
        self.assertEqual(self.path(), "/admin/users")
        self.screenshot("admin-users")

        # A subscription tier, with the same checks as the REST API: a bad one is refused, a good one stored.
        self.open("/admin/policies?level=subscription")
        self.assertIn("Gold", self.driver.page_source)
        self.screenshot("admin-policies")
        self.open("/admin/policies/subscription/new")
        self.fill({"name": "Browser Gold", "requestCount": "250", "unitTime": "1", "timeUnit": "min"})
        self.submit("form.stacked button[type=submit]")
        self.assertIn("Name must be 1 to 64", self.text("[data-testid=form-errors]"))
        self.screenshot("admin-policy-refused")
        self.fill({"name": "BrowserGold", "displayName": "Browser gold", "description": "250 calls a minute",
                   "requestCount": "250", "unitTime": "1", "timeUnit": "min", "burstCount": "10",
                   "burstTimeUnit": "sec", "billingPlan": "COMMERCIAL"})
        self.submit("form.stacked button[type=submit]")
        self.assertIn("Created the subscription policy BrowserGold", self.flash())
        self.assertIn("250 per 1 min", self.text("[data-testid=policy-BrowserGold]"))
        status, policy = self.servers.admin("GET", "/api/am/admin/v4/throttling/policies/subscription/BrowserGold")
        self.assertEqual(status, 200, policy)
        self.assertEqual(policy["defaultLimit"]["requestCount"]["requestCount"], 250)
        self.assertEqual(policy["rateLimitCount"], 10)
        self.screenshot("admin-policies-created")
        self.open("/admin/policies/subscription/BrowserGold/edit")
        self.screenshot("admin-policy-edit")
        # The Publisher offers the new tier to APIs without a restart.
        self.open("/publisher/apis/new")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "input[name=policies][value=BrowserGold]"))

        # A user: a too-short password is refused and never echoed; then the user is created.
        self.open("/admin/users")
        self.fill({"username": USER, "email": "tina@example.com", "password": "short"})
        self.submit("form.stacked button[type=submit]")
        self.assertIn("password must be", self.text("[data-testid=form-errors]"))
        self.assertNotIn('value="short"', self.driver.page_source)
        self.fill({"username": USER, "email": "tina@example.com", "password": PASSWORD})
        self.submit("form.stacked button[type=submit]")
        self.assertIn(f"Created the user {USER}", self.flash())
        status, user = self.servers.admin("GET", f"/api/am/admin/v4/users/{USER}")
        self.assertEqual((status, user["roles"]), (200, ["Internal/subscriber"]), user)

        # Roles: add creator to the new user.
        row = self.driver.find_element(By.CSS_SELECTOR, f"[data-testid=user-{USER}]")
        row.find_element(By.CSS_SELECTOR, "input[value='Internal/creator']").click()
        self.submit(f"[data-testid=user-{USER}] button[type=submit]")
        eventually(lambda: f"{USER} now has" in self.flash(), timeout=5, message="the roles flash")
        status, user = self.servers.admin("GET", f"/api/am/admin/v4/users/{USER}")
        self.assertEqual(sorted(user["roles"]), ["Internal/creator", "Internal/subscriber"])
        self.screenshot("admin-users-created")

        # The new user is no administrator: /admin stays closed.
        self.submit(".account form button")
        self.sign_in(USER, PASSWORD)
        self.open("/admin/users")
        self.assertEqual(self.text("h1"), "Not allowed")
        self.screenshot("admin-not-allowed")


if __name__ == "__main__":
    unittest.main()
