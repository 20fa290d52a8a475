"""The Store's try-it console in a real browser: the API page's OpenAPI definition (shown, and downloaded as JSON and
YAML), then a subscriber picks a resource, fills the path, query, headers and body, sends the call with a token of
their subscribed application, and sees status, headers and body. Screenshot: store-try-it."""

import time
import urllib.request

from selenium.webdriver.common.by import By

from harness import PortalTestCase, eventually


class TryItTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.api_id = cls.servers.publish_api(
                "TryPizza", "/trypizza", ["pizza"], "Pizza to try from the Store.")
        except BaseException:
            cls.tearDownClass()
            raise

    def sign_up(self):
        stamp = str(int(time.time() * 1000))[-7:]
        username, password = f"try{stamp}", "Try-Browser-1"
        self.open("/store/signup")
        self.fill({"firstName": "Tia", "lastName": "Tester", "email": f"{username}@example.com",
                   "username": username, "password": password, "confirmPassword": password})
        self.submit("form.stacked button[type=submit]")
        self.assertEqual(self.text("[data-testid=current-user]"), username)

    def test_definition_and_try_it(self):
        # Anyone sees the definition; the downloads are the document as JSON and as YAML.
        self.open(f"/store/apis/{self.api_id}")
        self.assertIn('"openapi"', self.driver.execute_script(
            "return document.querySelector('[data-testid=openapi-document]').textContent"))
        json_link = self.driver.find_element(By.CSS_SELECTOR, "[data-testid=openapi-json]").get_attribute("href")
        yaml_link = self.driver.find_element(By.CSS_SELECTOR, "[data-testid=openapi-yaml]").get_attribute("href")
        with urllib.request.urlopen(json_link, timeout=10) as answer:
            self.assertEqual(answer.headers["Content-Type"], "application/json")
            self.assertIn(b'"/menu"', answer.read())
        with urllib.request.urlopen(yaml_link, timeout=10) as answer:
            self.assertIn("yaml", answer.headers["Content-Type"])
            text = answer.read().decode()
            self.assertIn("openapi: 3.0", text)
            self.assertIn("/menu:", text)
        self.assertIn("Sign in and subscribe", self.text("#try-it"))

        # A subscriber with an application subscribed to the API gets the console.
        self.sign_up()
        self.open(f"/store/apis/{self.api_id}")
        self.assertIn("Subscribe an application", self.text("#try-it"))
        application = self.default_application()
        self.fill({"applicationId": application, "tier": "Gold"})
        self.submit("form[action$='/subscriptions'] button")
        self.open(f"/store/apis/{self.api_id}")
        self.submit("[data-testid=try-it-send]")
        self.assertIn("no production keys yet", self.text("[data-testid=try-it-error]"))
        self.open(f"/store/applications/{application}")
        self.submit("[data-testid=generate-keys-production]")
        self.open(f"/store/apis/{self.api_id}")

        # Picking a resource fills the path (portal.js); the call goes out with the application's token.
        self.fill({"resource": "POST /order"})
        self.assertEqual(self.driver.find_element(By.ID, "try-path").get_attribute("value"), "/order")
        self.fill({"resource": "GET /menu"})
        self.assertEqual(self.driver.find_element(By.ID, "try-path").get_attribute("value"), "/menu")
        self.fill({"query": "size=large", "headers": "Accept: application/json\nX-Try: browser"})
        self.submit("[data-testid=try-it-send]")
        status = eventually(lambda: self.resend_until_served(), timeout=20, message="the API served through the gateway")
        self.assertEqual(status, "200 OK")
        self.assertIn("Chicken Parmesan", self.text("[data-testid=try-it-body]"))
        headers = self.text("[data-testid=try-it-headers]").lower()
        self.assertIn("content-type", headers)
        self.assertIn("/trypizza/1.0.0/menu?size=large", self.text(".try-result code"))
        # What was sent stays in the form, the token never shows.
        self.assertEqual(self.driver.find_element(By.ID, "try-query").get_attribute("value"), "size=large")
        self.assertNotRegex(self.driver.page_source, r"Bearer [A-Za-z0-9._~+/-]{16,}")
        self.screenshot("store-try-it")

        # A path that does not fit the resource is refused before anything is sent.
        self.fill({"path": "/menu/../admin"})
        self.submit("[data-testid=try-it-send]")
        self.assertIn("does not match", self.text("[data-testid=try-it-error]"))

    def default_application(self):
        select = self.driver.find_element(By.ID, "applicationId")
        return select.find_elements(By.TAG_NAME, "option")[0].get_attribute("value")

    def resend_until_served(self):
        found = self.driver.find_elements(By.CSS_SELECTOR, "[data-testid=try-it-status]")
        if found and found[0].text == "200 OK":
            return found[0].text
        self.submit("[data-testid=try-it-send]")
        return None
