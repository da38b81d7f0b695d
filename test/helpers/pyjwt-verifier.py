"""Drives PyJWT's PyJWKClient for test/e2e/verifier-libraries.test.ts, one JSON request per line.

Each request: {"client": NAME, "token": JWT, "now": SECONDS}. Clients are created on first use
with PyJWT's defaults; the clock PyJWT's JWKS cache reads (time.monotonic) returns "now", so the
test moves PyJWT's time without waiting. Answers {"accepted": bool, "error": NAME or null}.
"""
import json
import sys
import time

import jwt

URI = sys.argv[1]
clock = {"now": 0.0}
time.monotonic = lambda: clock["now"]
clients = {}

for line in sys.stdin:
    request = json.loads(line)
    clock["now"] = request["now"]
    client = clients.setdefault(request["client"], jwt.PyJWKClient(URI))
    try:
        key = client.get_signing_key_from_jwt(request["token"])
        jwt.decode(request["token"], key.key, algorithms=["RS256"], options={"verify_aud": False})
        answer = {"accepted": True, "error": None}
    except jwt.PyJWKClientError as error:
        answer = {"accepted": False, "error": type(error).__name__}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
