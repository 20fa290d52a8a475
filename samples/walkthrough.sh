#!/usr/bin/env bash
# The whole Sluice story as a new user lives it, step by step:
#   a subscriber signs up; the admin logs in, creates an API for the sample backend and publishes it; the
#   subscriber logs in, creates an application, subscribes, gets keys and a token, calls the API through the
#   gateway, and the API's usage statistics show the calls.
#
# It talks to a server started by scripts/start. When none answers at SLUICE_MANAGEMENT_URL, it starts its own
# (sluice server over a temporary copy of ./repository, plus sluice-backend) and stops both by PID at the end.
#
# Environment (all optional):
#   SLUICE_MANAGEMENT_URL  management and OAuth2 server      (default http://localhost:9763)
#   SLUICE_GATEWAY_URL     gateway                            (default http://localhost:8280)
#   SLUICE_BACKEND_URL     the sample backend's pizzashack    (default http://localhost:9000/pizzashack)
#   SLUICE_ADMIN_USER      a user allowed to create and publish APIs (default admin)
#   SLUICE_ADMIN_PASSWORD  its password (required with a running server; made up for a server started here)
#   SLUICE_BIN, SLUICE_BACKEND_BIN  the binaries (default: the newer of .build/release and .build/debug)
# Exits non-zero at the first failing step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

management="${SLUICE_MANAGEMENT_URL:-http://localhost:9763}"
gateway="${SLUICE_GATEWAY_URL:-http://localhost:8280}"
backend="${SLUICE_BACKEND_URL:-http://localhost:9000/pizzashack}"
admin_user="${SLUICE_ADMIN_USER:-admin}"
bin_dir="$root/.build/release"
if [[ ! -x "$bin_dir/sluice" || "$root/.build/debug/sluice" -nt "$bin_dir/sluice" ]]; then bin_dir="$root/.build/debug"; fi
sluice="${SLUICE_BIN:-$bin_dir/sluice}"
sluice_backend="${SLUICE_BACKEND_BIN:-$bin_dir/sluice-backend}"

step_number=0
step() {
    step_number=$((step_number + 1))
    printf '\n== %d. %s\n' "$step_number" "$*"
}
fail() {
    printf 'walkthrough FAILED: %s\n' "$*" >&2
    exit 1
}
# json FIELD.PATH < document: one value of a JSON document (python3 is the only helper needed).
json() {
    python3 -c 'import json, sys
value = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    value = value[int(part)] if isinstance(value, list) else value[part]
print(value)' "$1"
}
answers() { curl -s -o /dev/null -m 2 "$1"; }
port_of() { python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).port)' "$1"; }

[[ -x "$sluice" ]] || fail "no sluice binary at $sluice: run scripts/start or swift build first"
command -v curl >/dev/null || fail "curl is needed"
command -v python3 >/dev/null || fail "python3 is needed"

# Everything this run creates lives here; the CLI's login too, so the user's own login is left alone.
work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-walkthrough.XXXXXX")"
export SLUICE_CONFIG_HOME="$work/config"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

step "Find the Sluice server at $management"
if answers "$management/api/am/openapi.json"; then
    echo "A server is running."
    [[ -n "${SLUICE_ADMIN_PASSWORD:-}" ]] || fail "set SLUICE_ADMIN_PASSWORD to the password of $admin_user"
else
    echo "None is running: starting sluice server and sluice-backend for this walk-through."
    [[ -x "$sluice_backend" ]] || fail "no sluice-backend binary at $sluice_backend"
    export SLUICE_ADMIN_PASSWORD="${SLUICE_ADMIN_PASSWORD:-Walkthrough-$RANDOM-$RANDOM}"
    cp -R "$root/repository" "$work/repository"
    rm -rf "$work/repository/database"
    "$sluice_backend" --port "$(port_of "$backend")" >"$work/backend.log" 2>&1 &
    pids+=($!)
    "$sluice" server --repository "$work/repository" --gateway-port "$(port_of "$gateway")" \
        --management-port "$(port_of "$management")" --gateway-https-port off --management-https-port off \
        --log-level warning >"$work/server.log" 2>&1 &
    pids+=($!)
    # A debug build on a busy machine may take a while: up to a minute.
    for _ in $(seq 1 600); do
        answers "$management/api/am/openapi.json" && break
        kill -0 "${pids[1]}" 2>/dev/null || { cat "$work/server.log" >&2; fail "sluice server exited"; }
        sleep 0.1
    done
    answers "$management/api/am/openapi.json" || fail "the server did not start within 60 s"
    # The backend bound its port long ago, or failed to (a port already taken): say so now, not at the first call.
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/backend.log" >&2; fail "sluice-backend exited"; }
    echo "Started (server PID ${pids[1]}, backend PID ${pids[0]})."
fi

suffix="$RANDOM$RANDOM"
user="walker$suffix"
password="Walk-$suffix-pass"

step "Sign up as the new subscriber $user"
signup=$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\",\"email\":\"$user@example.com\",\"firstName\":\"Wanda\",\"lastName\":\"Walker\"}" \
    "$management/api/am/devportal/v3/self-signup")
[[ "$(tail -n1 <<<"$signup")" == 201 ]] || fail "self-signup answered: $signup"
echo "Signed up: $(head -n1 <<<"$signup")"

step "Log in as $admin_user (the publisher)"
SLUICE_PASSWORD="$SLUICE_ADMIN_PASSWORD" "$sluice" login "$management" --username "$admin_user"

step "Create an API for the sample backend ($backend)"
definition="$work/walkthrough-api.json"
cat >"$definition" <<EOF
{
  "name": "WalkthroughPizza$suffix",
  "context": "/walkthrough$suffix",
  "version": "1.0.0",
  "description": "Pizza Shack, published by samples/walkthrough.sh",
  "tags": ["pizza", "walkthrough"],
  "policies": ["Gold", "Unlimited"],
  "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "$backend"}},
  "operations": [
    {"target": "/menu", "verb": "GET", "authType": "Application & Application User", "throttlingPolicy": "Unlimited"},
    {"target": "/order", "verb": "POST", "authType": "Application & Application User", "throttlingPolicy": "Unlimited"}
  ]
}
EOF
api_id=$("$sluice" api create --file "$definition" --output json | json id)
"$sluice" api show "$api_id"

step "Publish it: the gateway deploys it"
"$sluice" api publish "$api_id"

step "Log in as $user"
"$sluice" logout
SLUICE_PASSWORD="$password" "$sluice" login "$management" --username "$user"

step "Create an application"
"$sluice" app create --remote --name "WalkthroughApp" --tier Unlimited
"$sluice" app list --remote

step "Subscribe it to the API with the Gold tier"
"$sluice" subscribe --app WalkthroughApp --api "$api_id" --tier Gold

step "Generate keys and an access token"
token=$("$sluice" token --app WalkthroughApp --key-type PRODUCTION)
[[ -n "$token" ]] || fail "no token"
echo "Access token: ${token:0:8}... (${#token} characters)"

step "Call the API through the gateway"
url="$gateway/walkthrough$suffix/1.0.0/menu"
status=0
for _ in $(seq 1 100); do
    status=$(curl -s -o "$work/menu.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$url" || true)
    [[ "$status" == 200 ]] && break
    sleep 0.1
done
[[ "$status" == 200 ]] || fail "GET $url answered $status: $(cat "$work/menu.json" 2>/dev/null)"
echo "GET $url -> 200: $(head -c 160 "$work/menu.json")..."
calls=1
for _ in 1 2; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url" || fail "repeated call failed"
    calls=$((calls + 1))
done
denied=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[[ "$denied" == 401 ]] || fail "a call without a token answered $denied, not 401"
echo "Without a token: 401 (as it should be)."

step "Show the usage statistics of the API"
usage=""
for _ in $(seq 1 50); do
    usage=$(curl -sf -u "$admin_user:$SLUICE_ADMIN_PASSWORD" "$management/api/am/publisher/v4/apis/$api_id/usage") \
        || fail "the usage statistics could not be read"
    counted=$(json total.requestCount <<<"$usage" 2>/dev/null || echo 0)
    [[ "$counted" -ge "$calls" ]] && break
    sleep 0.2
done
[[ "${counted:-0}" -ge "$calls" ]] || fail "the statistics count ${counted:-0} calls, not $calls: $usage"
python3 -m json.tool <<<"$usage"

"$sluice" logout >/dev/null
printf '\nwalkthrough OK: %s signed up, subscribed to %s and made %d calls.\n' "$user" "WalkthroughPizza$suffix" "$calls"
