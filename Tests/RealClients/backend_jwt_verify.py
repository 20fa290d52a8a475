"""Verifies a backend JWT the way a backend would: PyJWT, the gateway's JWK set, RS256 only.

Usage: backend_jwt_verify.py JWKS_FILE JWT_FILE
Prints a JSON report: the verified header and claims, and whether a tampered copy was rejected.
"""
import json
import sys

import jwt


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        key_set = json.load(handle)
    with open(sys.argv[2], encoding="utf-8") as handle:
        token = handle.read().strip()
    header = jwt.get_unverified_header(token)
    matching = [key for key in key_set["keys"] if key.get("kid") == header.get("kid")]
    if len(matching) != 1:
        raise SystemExit("no key in the JWK set has kid %r" % header.get("kid"))
    key = jwt.PyJWK(matching[0]).key
    claims = jwt.decode(token, key=key, algorithms=["RS256"], options={"require": ["exp", "iat", "iss"]})
    head, payload, signature = token.split(".")
    flipped = ("A" if payload[5] != "A" else "B")
    tampered = ".".join([head, payload[:5] + flipped + payload[6:], signature])
    try:
        jwt.decode(tampered, key=key, algorithms=["RS256"])
        tampered_rejected = False
    except jwt.InvalidTokenError:
        tampered_rejected = True
    print(json.dumps({"header": header, "claims": claims, "tampered_rejected": tampered_rejected}))


if __name__ == "__main__":
    main()
