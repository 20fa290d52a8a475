"""Real OAuth 2.0 and JWT clients against a running Sluice over HTTPS: requests-oauthlib gets tokens from the
token endpoint (oauthlib refuses plain http, and no insecure-transport switch is set), PyJWT verifies the JWT
access token against the JWK set the discovery document names, with the certificate given as the trust anchor.

Usage: oauth_jwt_client.py MANAGEMENT_HTTPS_URL CA_FILE CONSUMER_KEY CONSUMER_SECRET USERNAME PASSWORD
Prints one JSON object with what it found; exits non-zero on any failure.
"""
import json
import os
import sys

import jwt
import requests
from oauthlib.oauth2 import BackendApplicationClient, LegacyApplicationClient, InsecureTransportError
from requests_oauthlib import OAuth2Session


def main():
    base, ca_file, client_id, client_secret, username, password = sys.argv[1:7]
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ, "the test must not relax oauthlib's transport check"
    report = {}

    # oauthlib itself refuses a plain-http token URL: HTTPS is what makes this client work at all.
    try:
        OAuth2Session(client=BackendApplicationClient(client_id=client_id)).fetch_token(
            token_url="http://localhost:1/oauth2/token", client_id=client_id, client_secret=client_secret)
        report["plain_http_refused"] = False
    except InsecureTransportError:
        report["plain_http_refused"] = True

    discovery = requests.get(base + "/oauth2/token/.well-known/openid-configuration", verify=ca_file, timeout=10)
    discovery.raise_for_status()
    metadata = discovery.json()
    report["issuer"] = metadata["issuer"]

    session = OAuth2Session(client=BackendApplicationClient(client_id=client_id))
    application_token = session.fetch_token(
        token_url=metadata["token_endpoint"],
        client_id=client_id, client_secret=client_secret, verify=ca_file)
    user_session = OAuth2Session(client=LegacyApplicationClient(client_id=client_id))
    user_token = user_session.fetch_token(
        token_url=metadata["token_endpoint"], username=username, password=password,
        client_id=client_id, client_secret=client_secret, verify=ca_file)

    jwks = requests.get(metadata["jwks_uri"], verify=ca_file, timeout=10).json()
    keys = {key["kid"]: jwt.PyJWK(key) for key in jwks["keys"]}

    def verify(token):
        header = jwt.get_unverified_header(token)
        return jwt.decode(token, keys[header["kid"]].key, algorithms=[header["alg"]], audience=client_id,
                          issuer=metadata["issuer"], options={"require": ["exp", "iat", "nbf", "jti", "iss", "sub"]})

    application_claims = verify(application_token["access_token"])
    user_claims = verify(user_token["access_token"])
    report["application_claims"] = application_claims
    report["user_claims"] = user_claims
    report["header"] = jwt.get_unverified_header(application_token["access_token"])
    report["refresh_token_issued"] = "refresh_token" in user_token

    # A payload edited after signing does not verify.
    head, payload, signature = application_token["access_token"].split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["scope"] = claims["scope"] + " admin"
    forged = ".".join([head, jwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), signature])
    try:
        verify(forged)
        report["tampered_rejected"] = False
    except jwt.InvalidSignatureError:
        report["tampered_rejected"] = True

    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
