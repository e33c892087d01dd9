#!/usr/bin/env bash
# Schemathesis against a live Ura with demo data: every operation of /api/schema/, once with a
# coordinator's and a provider's token holding every scope, and once with an unrelated user's token. Fails on any
# server error or any response that the schema does not describe. Prints the requests generated.
# positive_data_acceptance is left out: a schema-valid body can still break a business rule (a case in
# the wrong stage, a due date in the past), which the API refuses with 400 code "refused".
set -euo pipefail
export NO_COLOR=1
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
EXAMPLES=${URA_API_EXAMPLES:-10}
export URA_DATA_DIR; URA_DATA_DIR=$(mktemp -d)
export URA_API_RATE=100000/minute URA_DEBUG=false
PORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$URA_DATA_DIR"; }
trap cleanup EXIT

$BIN/ura migrate --noinput -v0
$BIN/ura demo --persons 24 -v0 >/dev/null
$BIN/ura shell -c 'from ura.accounts.models import User; User.objects.create_user("api-stranger", password=None)'
coordinator=$($BIN/ura tokens create coordinator.gjilan --scope all --name schemathesis)
provider=$($BIN/ura tokens create provider.gjilan --scope all --name schemathesis)
stranger=$($BIN/ura tokens create api-stranger --scope all --name schemathesis)
$BIN/ura runserver --noreload --insecure "127.0.0.1:$PORT" >"$URA_DATA_DIR/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/schema/" >/dev/null && break; sleep 0.2; done

total=0
for who in coordinator provider stranger; do
  token=${!who}
  echo "== schemathesis as $who =="
  $BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --checks all --exclude-checks positive_data_acceptance --max-examples "$EXAMPLES" \
    --seed 9 -H "Authorization: Token $token" 2>&1 | tee "$URA_DATA_DIR/$who.out" \
    || { tail -n 30 "$URA_DATA_DIR/server.log"; exit 1; }
  # The summary line: "Test cases: N generated, ..."; each test case is one request.
  n=$(grep -A1 '^Test cases:' "$URA_DATA_DIR/$who.out" | grep -o '[0-9]* generated' | grep -o '[0-9]*')
  echo "requests generated as $who: $n"
  total=$((total + n))
done
echo "schemathesis: $total requests generated, no server errors, no schema violations"
