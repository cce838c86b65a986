#!/usr/bin/env bash
# Contract fuzzing: schemathesis drives a freshly seeded server with requests generated from the
# committed api-spec/openapi.json, and fails on any server error or any response the document
# does not describe. `contract-test.sh sqlite` (the default) or `contract-test.sh postgres` (a
# fresh database on TRELLIS_TEST_POSTGRES_URL's server). Called by `make contract`.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
BIN=${TRELLIS_BIN:-target/debug/trellis}
ST=tools/venv/bin/schemathesis
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-12}
[ -x "$BIN" ] || { echo "contract test: $BIN is missing (cargo build -p trellis-api)"; exit 1; }
[ -x "$ST" ] || { echo "contract test: $ST is missing (make py-tools)"; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TRELLIS_DATA_DIR="$work" TRELLIS_BIND="127.0.0.1:$port" RUST_LOG=warn TRELLIS_STATIC_DIR="$work/no-spa"
unset DATABASE_URL
pgdb=""
case "$BACKEND" in
  sqlite) ;;
  postgres)
    admin=${TRELLIS_TEST_POSTGRES_URL:?set TRELLIS_TEST_POSTGRES_URL (make test does)}
    pgdb="trellis_contract_$(date +%s)_$$"
    psql -q "$admin" -c "CREATE DATABASE $pgdb"
    export DATABASE_URL="${admin%/*}/$pgdb"
    ;;
  *) echo "usage: $0 [sqlite|postgres]"; exit 2 ;;
esac
cleanup() {
  kill "${server:-}" 2>/dev/null || true
  wait "${server:-}" 2>/dev/null || true
  rm -rf "$work"
  if [ -n "$pgdb" ]; then psql -q "$admin" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" || true; fi
}
trap cleanup EXIT
echo "contract test on $BACKEND"
"$BIN" seed-demo >/dev/null
"$BIN" serve >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/api/v1/health" >/dev/null

token() {
  curl -fsS "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@trellis.test\",\"password\":\"trellis-demo\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# Signing out would revoke the token the rest of the run uses; it has its own API tests.
status=0
SCHEMATHESIS_HOOKS=contract_checks PYTHONPATH=tools "$ST" --config-file tools/schemathesis.toml \
  run api-spec/openapi.json --url "$base" \
  --header "Authorization: Bearer $(token admin)" \
  --checks all --exclude-checks ignored_auth,positive_data_acceptance \
  --exclude-operation-id delete_session \
  --max-examples "$MAX_EXAMPLES" --seed 20261201 \
  --suppress-health-check filter_too_much \
  --request-timeout 10 --no-color || status=$?
if grep -q "internal error" "$work/server.log"; then
  echo "contract test: the server logged internal errors:"; grep "internal error" "$work/server.log" | head -20
  status=1
fi
exit $status
