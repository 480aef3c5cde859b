#!/usr/bin/env bash
# Throughput of `GET /api/v1/byok` (authenticated, rate-limited, read from
# SQLite) against `GET /api/v1/health` (no key, no database) on
# `voicedock serve`, with wrk: the ratio is what the read path costs.
#
#   benches/scripts/read_path.sh BIN [BIN ...]          (release builds)
#   ROUNDS=3 SECS=10 benches/scripts/read_path.sh OLD_BIN NEW_BIN
#
# Every BIN serves a fresh copy of the same data (one account, one stored
# key, made by the first BIN: give the oldest build first, since a newer one
# migrates the database past what an older one opens), ROUNDS times
# alternating, so their figures compare. The account key
# reaches wrk through the environment and a Lua script, never argv.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
[[ $# -ge 1 ]] || { echo "usage: $0 BIN [BIN ...]" >&2; exit 2; }

WORK=$(mktemp -d)
chmod 700 "$WORK"
SERVER_PID=
stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT

export VOICEDOCK_DATA_DIR="$WORK/data" VOICEDOCK_CONFIG_DIR="$WORK/config" \
    VOICEDOCK_CACHE_DIR="$WORK/cache" VOICEDOCK_STATE_DIR="$WORK/state"
mkdir -m 700 "$VOICEDOCK_DATA_DIR"
SEED=$VOICEDOCK_DATA_DIR
BENCH_KEY=$("$1" accounts create --name Bench | grep -o 'vd_live_[^[:space:]]*' | head -1)
export BENCH_KEY
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/authed.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
LUA

start_server() {
    rm -rf "$WORK/run"
    cp -a "$SEED" "$WORK/run"
    "$1" serve --listen "127.0.0.1:$PORT" --data-dir "$WORK/run" --rate-limit 1000000000 \
        >"$WORK/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$WORK/serve.log" >&2
    exit 1
}

# requests/s of one wrk run; a run with any answer other than 2xx is void
rps() {
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECS}s" "$@")
    if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
        echo "$out" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

# One stored key, so the answer is not the empty one.
"$1" serve --listen "127.0.0.1:$PORT" --data-dir "$SEED" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
    sleep 0.1
done
python3 - "$PORT" <<'PY'
import http.client, json, os, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
headers = {"Authorization": "Bearer " + os.environ["BENCH_KEY"], "Content-Type": "application/json"}
conn.request("POST", "/api/v1/byok",
             json.dumps({"provider": "openai", "api_key": "sk-proj-" + "Bench0key" * 6}), headers)
r = conn.getresponse(); r.read()
if r.status != 200:
    sys.exit(f"storing the key: HTTP {r.status}")
PY
stop_server

printf '%-40s %5s %12s %12s %6s\n' build round health/s byok/s ratio
for round in $(seq "$ROUNDS"); do
    for BIN in "$@"; do
        start_server "$BIN"
        health=$(rps "http://127.0.0.1:$PORT/api/v1/health")
        byok=$(rps -s "$WORK/authed.lua" "http://127.0.0.1:$PORT/api/v1/byok")
        stop_server
        ratio=$(python3 -c "print(f'{$byok / $health:.2f}')")
        printf '%-40s %5s %12s %12s %6s\n' "$BIN" "$round" "$health" "$byok" "$ratio"
    done
done
