"""OpenAPI import in the Publisher, in a real browser: a creator loads a YAML OpenAPI 3.0 document from a file (the
portal's script reads it into the form), overrides the context, and the API is created with the document's
resources; a broken document comes back with the error's path in the document and nothing is created."""

import os
import tempfile
import unittest

from selenium.webdriver.common.by import By

from harness import PortalTestCase

USER, PASSWORD = "olga", "Importer-Browser-1"

DOCUMENT = """openapi: 3.0.3
info:
  title: Browser Bakery
  version: "3.2"
servers:
  - url: http://localhost:9000/pizzashack
paths:
  /menu:
    get:
      security: []
      responses:
        "200": {description: The menu}
  /order:
    post:
      responses:
        "201": {description: Ordered}
"""


class OpenAPIImportStoryTest(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            status, body = cls.servers.admin("POST", "/api/am/admin/v4/users", {
                "username": USER, "password": PASSWORD, "email": "olga@example.com",
                "roles": ["Internal/creator"]})
            assert status == 201, (status, body)
        except BaseException:
            cls.tearDownClass()
            raise

    def test_import_story(self):
        self.open("/publisher")
        self.fill({"username": USER, "password": PASSWORD})
        self.submit("form.stacked button[type=submit]")
        self.driver.find_element(By.CSS_SELECTOR, "[data-testid=import-openapi]").click()
        self.assertEqual(self.path(), "/publisher/apis/import")

        # A file chosen is read into the text area by the portal's script.
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
            file.write(DOCUMENT)
        try:
            self.driver.find_element(By.ID, "oas-file").send_keys(file.name)
            area = self.driver.find_element(By.ID, "oas-document")
            self.wait_for(lambda: "Browser Bakery" in area.get_attribute("value"))
        finally:
            os.unlink(file.name)
        self.fill({"context": "/browserbakery"})
        self.screenshot("publisher-import")
        self.submit("[data-testid=import-submit]")
        self.assertIn("Created BrowserBakery 3.2 from the OpenAPI document", self.flash())
        self.assertIn("/browserbakery", self.driver.page_source)
        self.assertIn("/order", self.driver.page_source)

        # A broken document: the error names its path; the form keeps what was typed.
        self.open("/publisher/apis/import")
        broken = '{"openapi": "3.0.1", "info": {"title": "Broken", "version": "1"}, "paths": {"/m": {"get": {"responses": 5}}}}'
        self.driver.execute_script("arguments[0].value = arguments[1];", self.driver.find_element(By.ID, "oas-document"), broken)
        self.submit("[data-testid=import-submit]")
        errors = self.text("[data-testid=form-errors]")
        self.assertIn("/m", errors)
        self.assertIn("responses", errors)
        self.assertIn("Broken", self.driver.find_element(By.ID, "oas-document").get_attribute("value"))
        self.screenshot("publisher-import-refused")

    def wait_for(self, condition):
        from harness import eventually
        eventually(condition, timeout=5, interval=0.1, message="the file in the text area")


if __name__ == "__main__":
    unittest.main()
