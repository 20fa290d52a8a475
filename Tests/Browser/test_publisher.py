"""The Publisher in a real browser: a user with the creator and publisher roles signs in, creates an API through
the form, edits its Synapse source (a broken edit shows the diagnostic with its line and saves nothing, then a
valid edit is saved, with the warning its stray text gives), publishes it (the gateway answers within a second, serving the edited source), blocks it
(503, 700700) and retires it (404). Screenshots of every Publisher page go to .build/portal-screenshots/."""

import time
import unittest
import urllib.request

from selenium.webdriver.common.by import By

from harness import PortalTestCase, eventually, request

USER, PASSWORD = "petra", "Publisher-Browser-1"
EDIT_HEADER = "X-Sluice-Source"


class PublisherStoryTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            status, body = cls.servers.admin("POST", "/api/am/admin/v4/users", {
                "username": USER, "password": PASSWORD, "email": "petra@example.com",
                "roles": ["Internal/creator", "Internal/publisher"]})
            assert status == 201, (status, body)
        except BaseException:
            cls.tearDownClass()
            raise

    # Helpers

    def source_text(self):
        return self.driver.find_element(By.ID, "source").get_attribute("value")

    def submit_source(self, text):
        # Setting the value directly is what pasting does; typing thousands of characters only slows the test.
        self.driver.execute_script("arguments[0].value = arguments[1];", self.driver.find_element(By.ID, "source"), text)
        self.submit(".editor-pane button[type=submit]")

    def lifecycle(self, action, expected):
        """Clicks a lifecycle button and waits for the page to show the state it leads to."""
        self.submit(f"[data-testid='lifecycle-{action}']")
        eventually(lambda: self.text("[data-testid=lifecycle-state]") == expected, timeout=5,
                   message=f"{action} to lead to {expected}")

    def gateway_within_a_second(self, path, expected_status, started):
        """Polls the gateway until it answers `expected_status`; fails if that takes more than a second after
        `started` (when the lifecycle change came back to the browser)."""
        url = self.servers.gateway + path
        answer = eventually(lambda: (lambda result: result if result[0] == expected_status else None)(
            request("GET", url, timeout=2)), timeout=1.0, interval=0.05, message=f"{expected_status} from {url}")
        elapsed = time.monotonic() - started
        self.assertLessEqual(elapsed, 1.0, f"the gateway took {elapsed:.2f} s")
        return answer

    @staticmethod
    def gateway_headers(url):
        with urllib.request.urlopen(url, timeout=2) as response:
            return dict(response.headers)

    # The story

    def test_publisher_story(self):
        # Sign in.
        self.open("/publisher")
        self.assertEqual(self.path(), "/publisher/signin")
        self.screenshot("publisher-signin")
        self.fill({"username": USER, "password": PASSWORD})
        self.submit("form.stacked button[type=submit]")
        self.assertEqual(self.path(), "/publisher")
        self.assertEqual(self.text("[data-testid=current-user]"), USER)
        self.screenshot("publisher-apis-empty")

        # Create an API through the form.
        self.open("/publisher/apis/new")
        self.fill({"name": "BrowserPizza", "context": "/browserpizza", "version": "1.0.0",
                   "description": "Menu of the <PizzaShack> & friends", "tags": "pizza, browser",
                   "endpointType": "address", "productionURL": self.servers.backend + "/pizzashack"})
        self.fill({"op_target": "/menu"})
        self.driver.find_element(By.CSS_SELECTOR, "#op_auth_0 option[value='None']").click()
        # Resource rows come and go: add two, remove one, and the added row's resource is created.
        rows = lambda: self.driver.find_elements(By.CSS_SELECTOR, "[data-testid=resource-rows] tr")
        initial = len(rows())
        self.driver.find_element(By.CSS_SELECTOR, "[data-testid=add-resource]").click()
        self.driver.find_element(By.CSS_SELECTOR, "[data-testid=add-resource]").click()
        self.assertEqual(len(rows()), initial + 2)
        rows()[-1].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
        self.assertEqual(len(rows()), initial + 1)
        added = rows()[-1]
        added.find_element(By.CSS_SELECTOR, "input[name=op_target]").send_keys("/order/{orderId}")
        added.find_element(By.CSS_SELECTOR, "select[name=op_verb] option[value='DELETE']").click()
        self.screenshot("publisher-create")
        self.submit("form.wide-form button[type=submit]")
        self.assertIn("Created BrowserPizza 1.0.0", self.flash())
        api_path = self.path()
        self.assertRegex(api_path, r"^/publisher/apis/[0-9a-f-]{36}$")
        self.assertEqual(self.text("[data-testid=lifecycle-state]"), "CREATED")
        self.assertIn("/order/{orderId}", self.driver.page_source)
        self.assertIn("Menu of the <PizzaShack> & friends", self.driver.page_source.replace("&lt;", "<")
                      .replace("&gt;", ">").replace("&amp;", "&"))
        self.screenshot("publisher-overview-created")

        # The read-only source view shows the generated artifact.
        self.open(api_path + "/source")
        self.assertEqual(self.text("[data-testid=source-kind]"), "Generated")
        self.assertIn("petra--BrowserPizza", self.text("[data-testid=source-view]"))
        self.screenshot("publisher-source")

        # A broken edit: the unknown mediator is reported with its line and column, and nothing is saved.
        self.open(api_path + "/source/edit")
        generated = self.source_text()
        lines = generated.split("\n")
        at = next(index for index, line in enumerate(lines) if "<inSequence>" in line) + 1
        broken = "\n".join(lines[:at] + ["            <teleport destination=\"mars\"/>"] + lines[at:])
        self.submit_source(broken)
        self.assertIn("Not saved", self.text("[data-testid=source-errors]"))
        diagnostic = self.text("[data-testid=diagnostic]")
        self.assertIn(f"Line {at + 1}, column 13", diagnostic)
        self.assertIn("unknown mediator", diagnostic)
        self.assertEqual(self.source_text(), broken)
        self.screenshot("publisher-source-broken")
        self.open(api_path + "/source")
        self.assertEqual(self.text("[data-testid=source-kind]"), "Generated")
        self.assertNotIn("teleport", self.driver.page_source)

        # Malformed XML is refused the same way.
        self.open(api_path + "/source/edit")
        self.submit_source(generated.replace("</outSequence>", "</outSequenc>", 1))
        self.assertIn("Not saved", self.text("[data-testid=source-errors]"))
        self.assertIn("Line ", self.text("[data-testid=diagnostic]"))

        # XML that parses but that the gateway cannot compile (a broken JSONPath) is refused too. (A key naming a
        # sequence that is not deployed is not: as in Synapse it deploys with a warning and faults when reached.)
        self.open(api_path + "/source/edit")
        self.submit_source("\n".join(
            lines[:at] + ['            <property name="pick" expression="json-eval($.items[)"/>'] + lines[at:]))
        self.assertIn("Not saved", self.text("[data-testid=source-errors]"))
        self.assertIn("json-eval($.items[)", self.text("[data-testid=diagnostic]"))
        self.screenshot("publisher-source-uncompilable")

        # A valid edit: the out flow adds a response header, so the gateway shows which source it serves. Stray
        # text left in the out flow deploys (Synapse reads past it) and the saved page lists it as a warning.
        self.open(api_path + "/source/edit")
        edited = generated.replace(
            "<outSequence>",
            f"<outSequence>\n            <header name=\"{EDIT_HEADER}\" value=\"hand-edited\" scope=\"transport\"/>"
            "\n            left over", 1)
        self.assertNotEqual(edited, generated)
        self.submit_source(edited)
        self.assertIn("Saved the edited source", self.flash())
        self.assertIn("1 warning", self.flash())
        out_line = next(n for n, line in enumerate(edited.split("\n"), 1) if "<outSequence>" in line)
        self.assertIn(f"Line {out_line}, column", self.text("[data-testid=flash-details]"))
        self.assertIn("text inside <outSequence> is ignored", self.text("[data-testid=flash-details]"))
        self.assertEqual(self.text("[data-testid=source-kind]"), "Hand-edited")
        self.screenshot("publisher-source-edited")

        # Publish: the gateway serves the API within a second, with the edited source.
        self.open(api_path)
        self.screenshot("publisher-lifecycle-created")
        self.lifecycle("Publish", "PUBLISHED")
        started = time.monotonic()
        status, menu = self.gateway_within_a_second("/browserpizza/1.0.0/menu", 200, started)
        self.assertTrue(isinstance(menu, list) and menu, menu)
        headers = self.gateway_headers(self.servers.gateway + "/browserpizza/1.0.0/menu")
        self.assertEqual(headers.get(EDIT_HEADER), "hand-edited")
        self.screenshot("publisher-overview-published")

        # Block: 503 with WSO2's 700700 fault, within a second.
        self.lifecycle("Block", "BLOCKED")
        started = time.monotonic()
        status, body = self.gateway_within_a_second("/browserpizza/1.0.0/menu", 503, started)
        self.assertIn("700700", str(body))
        self.screenshot("publisher-overview-blocked")

        # Retire (a blocked API is deprecated first, as WSO2's lifecycle demands): 404 within a second.
        self.lifecycle("Deprecate", "DEPRECATED")
        self.lifecycle("Retire", "RETIRED")
        started = time.monotonic()
        self.gateway_within_a_second("/browserpizza/1.0.0/menu", 404, started)
        self.assertIn("Retired is final", self.driver.page_source)
        self.screenshot("publisher-overview-retired")

        # The other pages of the API.
        self.open(api_path + "/documents")
        self.fill({"name": "Getting started", "type": "HOWTO", "sourceType": "MARKDOWN",
                   "content": "# Ordering\nCall GET /menu first."})
        self.submit("form.stacked button[type=submit]")
        self.assertIn("Added the document", self.flash())
        self.screenshot("publisher-documents")
        self.open(api_path + "/subscriptions")
        self.screenshot("publisher-subscriptions")
        self.open(api_path + "/usage?range=1h")
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart")), 4)
        self.screenshot("publisher-usage")
        self.open(api_path + "/edit")
        self.screenshot("publisher-edit")
        self.open("/publisher")
        self.assertIn("RETIRED", self.driver.page_source)
        self.screenshot("publisher-apis")


if __name__ == "__main__":
    unittest.main()
