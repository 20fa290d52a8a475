"""A real browser-side OAuth 2.0 client of the authorization-code grant with PKCE against a running Sluice over
HTTPS: oauthlib makes the verifier, challenge and authorization URL, the sign-in page's hidden fields are posted back
with the user's credentials as a browser would, and requests-oauthlib exchanges the code from the redirect (checking
`state`) at the token endpoint. No insecure-transport switch is set.

Usage: oauth_code_client.py MANAGEMENT_HTTPS_URL CA_FILE CONSUMER_KEY CONSUMER_SECRET CALLBACK USERNAME PASSWORD
Prints one JSON object with what it found; exits non-zero on any failure.
"""
import json
import os
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import requests
from oauthlib.oauth2 import WebApplicationClient
from requests_oauthlib import OAuth2Session


class HiddenFields(HTMLParser):
    """Collects the form's hidden inputs, as a browser submits them."""

    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value", "")


def main():
    base, ca_file, client_id, client_secret, callback, username, password = sys.argv[1:8]
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ, "the test must not relax oauthlib's transport check"
    report = {}
    metadata = requests.get(base + "/oauth2/token/.well-known/openid-configuration", verify=ca_file, timeout=10).json()
    report["code_challenge_methods"] = metadata.get("code_challenge_methods_supported")

    client = WebApplicationClient(client_id)
    verifier = client.create_code_verifier(64)
    challenge = client.create_code_challenge(verifier, "S256")
    session = OAuth2Session(client=client, redirect_uri=callback, scope=["default"])
    url, _ = session.authorization_url(
        metadata["authorization_endpoint"], code_challenge=challenge, code_challenge_method="S256")

    page = requests.get(url, verify=ca_file, timeout=10)
    report["page_status"] = page.status_code
    parser = HiddenFields()
    parser.feed(page.text)
    form = dict(parser.fields, username=username, password=password)
    answer = requests.post(metadata["authorization_endpoint"], data=form, verify=ca_file, allow_redirects=False,
                           timeout=10)
    report["authorize_status"] = answer.status_code
    location = answer.headers["Location"]
    report["redirected_to_callback"] = location.startswith(callback + "?")

    token = session.fetch_token(metadata["token_endpoint"], authorization_response=location,
                                client_secret=client_secret, code_verifier=verifier, verify=ca_file)
    report["token_type"] = token["token_type"]
    report["access_token_parts"] = len(token["access_token"].split("."))
    report["refresh_token_issued"] = "refresh_token" in token

    code = parse_qs(urlparse(location).query)["code"][0]
    replay = requests.post(metadata["token_endpoint"], auth=(client_id, client_secret), verify=ca_file, timeout=10,
                           data={"grant_type": "authorization_code", "code": code, "redirect_uri": callback,
                                 "code_verifier": verifier})
    report["replay_error"] = replay.json().get("error")
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
