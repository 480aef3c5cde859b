#!/usr/bin/env bash
# `voicedock assistants ls` against `voicedock --json assistants ls` for an
# account of N assistants (default 10,000) on `voicedock serve`, with
# hyperfine. The table passes through the key redaction; the JSON mostly
# does not, so the ratio is what redaction costs.
#
#   benches/scripts/assistants_ls.sh BIN [BIN ...]   (release builds)
#   N=10000 RUNS=10 benches/scripts/assistants_ls.sh target/release/voicedock
#
# Every BIN is measured against the same server and data, one after the
# other, so their figures compare.
set -euo pipefail
N=${N:-10000}
RUNS=${RUNS:-10}
[[ $# -ge 1 ]] || { echo "usage: $0 BIN [BIN ...]" >&2; exit 2; }
SERVER_BIN=$1

WORK=$(mktemp -d)
chmod 700 "$WORK"
SERVER_PID=
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

export VOICEDOCK_DATA_DIR="$WORK/data" VOICEDOCK_CONFIG_DIR="$WORK/config" \
    VOICEDOCK_CACHE_DIR="$WORK/cache" VOICEDOCK_STATE_DIR="$WORK/state"
mkdir -m 700 "$VOICEDOCK_DATA_DIR"
KEY=$("$SERVER_BIN" accounts create --name Bench | grep -o 'vd_live_[^[:space:]]*' | head -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$SERVER_BIN" serve --listen "127.0.0.1:$PORT" --rate-limit 1000000 >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
    sleep 0.1
done

# N assistants through the API, on one keep-alive connection.
python3 - "$PORT" "$KEY" "$N" <<'PY'
import http.client, json, sys
port, key, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
for i in range(n):
    body = {"name": f"Reception desk {i}", "first_message": "Hello, how can I help?",
            "llm_config": {"provider": "openai", "model": "gpt-5.4",
                           "messages": [{"role": "system", "content": "You are a receptionist."}]},
            "stt_config": {"provider": "deepgram", "model": "nova-3", "language": "en"},
            "tts_config": {"provider": "elevenlabs", "voice_id": "21m00Tcm4TlvDq8ikWAM"}}
    conn.request("POST", "/api/v1/assistants", json.dumps(body), headers)
    r = conn.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"assistant {i}: HTTP {r.status}")
PY

export VOICEDOCK_BASE_URL="http://127.0.0.1:$PORT" VOICEDOCK_API_KEY="$KEY"
for BIN in "$@"; do
    echo "== $BIN"
    hyperfine --warmup 2 --runs "$RUNS" --style basic \
        -n "assistants ls" "$BIN assistants ls" \
        -n "assistants ls --json" "$BIN --json assistants ls"
done
