"""The Store in a real browser: sign up, sign in, browse and search, an API's page with rating and comment,
an application, a subscription, keys (the secret shown once), a token, a call through the gateway with that
token, and the usage page. Screenshots of every main page go to .build/portal-screenshots/."""

import re
import time
import unittest
import urllib.parse

from selenium.webdriver.common.by import By

from harness import PortalTestCase, eventually, request


class StoreStoryTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.api_id = cls.servers.publish_api(
                "PizzaOrders", "/pizzaorders", ["pizza", "food"],
                "Order pizza from the PizzaShack: browse the menu and place orders.")
            cls.servers.publish_api(
                "WeatherNow", "/weathernow", ["weather"], "Current weather by city.", backend_path="/weather")
        except BaseException:
            cls.tearDownClass()
            raise

    def test_store_story(self):
        stamp = str(int(time.time() * 1000))[-7:]
        username, password = f"dev{stamp}", "Store-Browser-1"

        # Sign up: the form, then the new subscriber lands on their applications, signed in.
        self.open("/store/signup")
        self.fill({"firstName": "Dana", "lastName": "Developer", "email": f"{username}@example.com",
                   "username": username, "password": password, "confirmPassword": password})
        self.screenshot("store-signup")
        self.submit("form.stacked button[type=submit]")
        self.assertEqual(self.path(), "/store/applications")
        self.assertIn("Welcome, Dana!", self.flash())
        self.assertIn("DefaultApplication", self.driver.page_source)
        self.assertEqual(self.text("[data-testid=current-user]"), username)

        # Sign out, a wrong password, then sign in.
        self.submit(".account form button")
        self.assertIn("Signed out.", self.flash())
        self.open("/store/signin")
        self.fill({"username": username, "password": "wrong-password"})
        self.submit("form.stacked button[type=submit]")
        self.assertIn("Invalid username or password", self.driver.page_source)
        self.assertNotIn("wrong-password", self.driver.page_source)
        self.screenshot("store-signin-failed")
        self.fill({"username": username, "password": password})
        self.submit("form.stacked button[type=submit]")
        self.assertEqual(self.text("[data-testid=current-user]"), username)
        # The server binds 0.0.0.0, so the cookie is Secure: Chromium keeps it on http://127.0.0.1 all the same.
        cookie = self.driver.get_cookie("sluice_session")
        self.assertTrue(cookie["httpOnly"])
        self.assertTrue(cookie["secure"])
        self.assertEqual(cookie["sameSite"], "Strict")

        # Browse and search.
        self.open("/store")
        self.assertIn("PizzaOrders", self.driver.page_source)
        self.screenshot("store-home")
        self.fill({"q": "tag:pizza"})
        self.submit("form.search button")
        names = [card.find_element(By.TAG_NAME, "h3").text
                 for card in self.driver.find_elements(By.CSS_SELECTOR, "[data-testid=api-card]")]
        self.assertEqual(names, ["PizzaOrders"])
        self.open("/store/apis?q=provider%3Aadmin")
        self.assertIn("WeatherNow", self.driver.page_source)
        self.screenshot("store-apis")
        self.open("/store/apis?q=weath")
        self.assertNotIn("PizzaOrders", self.driver.page_source)

        # The API's page: resources, rate, comment.
        self.open(f"/store/apis/{self.api_id}")
        self.assertIn("/menu", self.text("table"))
        self.fill({"rating": "5"})
        self.submit(".rating-form button")
        self.assertIn("Thanks for rating", self.flash())
        self.assertEqual(self.text("[data-testid=average-rating]"), "5.0")
        self.fill({"content": "Fast & tasty <b>API</b>"})
        self.submit("#comments button")
        self.assertIn("Fast & tasty <b>API</b>", self.text("#comments"))
        self.screenshot("store-api")

        # A new application with a tier.
        self.open("/store/applications")
        self.fill({"name": "Browser App", "tier": "Medium", "description": "Made by the browser test"})
        self.submit("form.stacked button[type=submit]")
        self.assertEqual(self.text("[data-testid=application-name]"), "Browser App")
        application_path = self.path()
        self.open("/store/applications")
        self.screenshot("store-applications")

        # Subscribe it to the API with one of the API's tiers.
        self.open(f"/store/apis/{self.api_id}")
        application_id = application_path.rsplit("/", 1)[1]
        self.fill({"applicationId": application_id, "tier": "Gold"})
        self.submit("form[action$='/subscriptions'] button")
        self.assertEqual(self.path(), application_path)
        self.assertIn("Subscribed to PizzaOrders", self.flash())
        self.assertIn("PizzaOrders", self.text("[data-testid=subscription-row]"))

        # Production keys: the secret is shown once.
        self.submit("[data-testid=generate-keys-production]")
        consumer_key = self.text("[data-testid=consumer-key-production]")
        secret = self.text("[data-testid=consumer-secret-production]")
        self.assertTrue(consumer_key and len(secret) >= 20)
        self.screenshot("store-keys")
        self.open(application_path)
        self.assertIn(consumer_key, self.driver.page_source)
        self.assertNotIn(secret, self.driver.page_source)

        # A token for the signed-in owner (no secret asked), and a ready-to-paste curl through the gateway.
        self.assertEqual(self.driver.find_elements("css selector", "input[name=consumerSecret]"), [])
        self.submit("[data-testid=generate-token-production]")
        token = self.text("[data-testid=access-token]")
        curl = self.text("[data-testid=curl]")
        self.assertIn(f"Authorization: Bearer {token}", curl)
        self.assertNotIn(secret, self.driver.page_source)
        self.screenshot("store-token")

        # The call through the gateway with that token, from Python.
        url = re.search(r'"(http://[^"]+)"$', curl).group(1)
        # The server binds 0.0.0.0, so the curl names localhost; the port is the gateway's.
        parsed = urllib.parse.urlparse(url)
        self.assertIn(parsed.hostname, ("localhost", "127.0.0.1"))
        self.assertEqual(parsed.port, self.servers.gateway_port)
        self.assertEqual(parsed.path, "/pizzaorders/1.0.0/menu")
        url = f"{self.servers.gateway}{parsed.path}"
        status, body = eventually(
            lambda: (lambda answer: answer if answer[0] == 200 else None)(
                request("GET", url, headers={"Authorization": f"Bearer {token}"})),
            timeout=20, message="the API through the gateway")
        self.assertEqual(status, 200)
        self.assertIn("Chicken Parmesan", json_text(body))
        unauthorized, _ = request("GET", url)
        self.assertEqual(unauthorized, 401)

        # Usage: the gateway writes usage events in batches; refresh until the call shows.
        def usage_count():
            self.open(application_path + "/usage")
            return int(self.text("[data-testid=usage-requests]")) >= 1
        eventually(usage_count, timeout=30, interval=1, message="the call on the usage page")
        self.assertIn("PizzaOrders 1.0.0", self.driver.page_source)
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart rect"))
        self.screenshot("store-usage")

    def test_another_users_application_is_not_found(self):
        status, created = self.servers.admin("POST", "/api/am/devportal/v3/applications",
                                             {"name": f"AdminOnly{int(time.time())}", "throttlingPolicy": "Unlimited"})
        self.assertEqual(status, 201, created)
        stamp = str(int(time.time() * 1000))[-7:]
        self.open("/store/signup")
        self.fill({"firstName": "Eve", "lastName": "Other", "email": f"eve{stamp}@example.com",
                   "username": f"eve{stamp}", "password": "Store-Browser-2", "confirmPassword": "Store-Browser-2"})
        self.submit("form.stacked button[type=submit]")
        self.driver.get(self.servers.management + f"/store/applications/{created['applicationId']}")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Not found")
        self.assertNotIn(created["name"], self.driver.page_source)
        self.screenshot("store-not-found")


def json_text(body):
    return body if isinstance(body, str) else urllib.parse.unquote(str(body))


if __name__ == "__main__":
    unittest.main()
