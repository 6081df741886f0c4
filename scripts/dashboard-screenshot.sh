#!/usr/bin/env bash
# The README's picture of the dashboard under load: a node with the memory store on CPU 0, the
# load generator on CPU 1 (200,000 peers in 20,000 Zipf swarms, 15,000 UDP requests/s, plus a few
# HTTP announces), and headless Chromium driven through chromedriver's own HTTP interface takes the
# page after SHOT_AFTER seconds (default 100).
#
#   scripts/dashboard-screenshot.sh [OUT.png]   (default docs/dashboard.png)
#
# Needs the build (mvn package), chromium, chromium-driver and curl; uses ports 16971, 18090, 9515.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/docs/dashboard.png}")"
after="${SHOT_AFTER:-100}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

taskset -c 0 "$root/server/target/swarmkeeper/bin/swarmkeeper" --host 127.0.0.1 \
  --udp-port 16971 --http-port 16971 --admin-port 18090 >"$work/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -sf -o /dev/null http://127.0.0.1:18090/ready && break
  sleep 1
done
taskset -c 1 java -jar "$root/loadtest/target/swarmkeeper-loadtest.jar" udp \
  --tracker 127.0.0.1:16971 --swarms 20000 --peers 200000 --rate 15000 \
  --duration $((after + 30)) --warmup 5 >"$work/load.log" 2>&1 &
pids+=($!)
( # a few HTTP clients too: 3 announces a second over 200 swarms
  for i in $(seq 1 $((after * 3))); do
    curl -s -o /dev/null "http://127.0.0.1:16971/announce?info_hash=%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%aa%$(printf %02x $((i % 200)))&peer_id=-CU0001-screenshot01&port=$((7000 + i % 1000))&left=10&compact=1" || true
    sleep 0.33
  done
) &
pids+=($!)
chromedriver --port=9515 >"$work/chromedriver.log" 2>&1 &
pids+=($!)
sleep "$after"

session="$(curl -s -X POST http://127.0.0.1:9515/session -H 'content-type: application/json' -d '{"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"binary":"/usr/bin/chromium","args":["--headless=new","--no-sandbox","--disable-gpu","--hide-scrollbars","--window-size=1400,1650"]}}}}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["value"]["sessionId"])')"
curl -s -X POST "http://127.0.0.1:9515/session/$session/url" -H 'content-type: application/json' \
  -d '{"url":"http://127.0.0.1:18090/"}' >/dev/null
sleep 6 # the history loaded, the stream live for a few seconds
curl -s "http://127.0.0.1:9515/session/$session/screenshot" \
  | python3 -c 'import base64, json, sys; open(sys.argv[1], "wb").write(base64.b64decode(json.load(sys.stdin)["value"]))' "$out"
curl -s -X DELETE "http://127.0.0.1:9515/session/$session" >/dev/null
echo "$out"
