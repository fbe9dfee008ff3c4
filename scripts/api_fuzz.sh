#!/usr/bin/env bash
# Fuzz the REST API against its own OpenAPI schema with schemathesis: the demo county on SQLite
# behind gunicorn, once with a county staff token and once with a department handler's token.
# Fails on any server error (500) or response that does not match the schema. Bounded in time
# (API_FUZZ_SECONDS per token, default 75 s); only this machine's loopback address is used.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${API_FUZZ_PORT:-8779}
SECONDS_PER_TOKEN=${API_FUZZ_SECONDS:-75}
export LIAISON_VAR_DIR="$(mktemp -d)" DEBUG=0 SECRET_KEY=api-fuzz-secret-key-0123456789abcdefghijklmnop
export ALLOWED_HOSTS=127.0.0.1 AXES_FAILURE_LIMIT=1000000 API_TOKEN_RATE=100000/minute LOG_LEVEL=ERROR
unset DATABASE_URL CELERY_BROKER_URL
$BIN/python manage.py migrate --no-input -v 0
$BIN/python manage.py seed_demo -v 0 >/dev/null
token() { $BIN/python manage.py drf_create_token "$1" | awk '{print $3}'; }
STAFF=$(token county)
HANDLER=$(token department)
$BIN/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers 2 --log-level error &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$LIAISON_VAR_DIR"' EXIT
for _ in $(seq 1 40); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
schema="$LIAISON_VAR_DIR/schema.json"
curl -fsS -H "Authorization: Token $STAFF" "http://127.0.0.1:$PORT/api/schema/?format=json" -o "$schema"
status=0
for who in STAFF HANDLER; do
  echo "--- schemathesis as ${who,,} (${SECONDS_PER_TOKEN}s)"
  # /api/token/ is left out: the fuzzer would revoke the very token it runs with.
  $BIN/st run "$schema" --url "http://127.0.0.1:$PORT" -H "Authorization: Token ${!who}" \
    --exclude-path /api/token/ --checks not_a_server_error,response_schema_conformance \
    --phases examples,fuzzing --max-time "$SECONDS_PER_TOKEN" --workers 2 --no-color \
    --seed 20261201 || status=1
done
exit $status
