#!/usr/bin/env bash
# Side-by-side UDP benchmark: swarmkeeper against opentracker on loopback, the tracker pinned to
# CPU 0 and the load generator to CPU 1, 3 alternating rounds each. Writes loadtest/results/
# (results.md, results.json, throughput.png). Extra flags go to the bench command, e.g.
#   loadtest/bench.sh --rounds 1 --duration 10 --out /tmp/quick
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v opentracker >/dev/null 2>&1; then
  echo "installing opentracker (Debian's package)"
  apt-get update -qq && apt-get install -y -qq opentracker >/dev/null
fi
if ! command -v gcc >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq gcc >/dev/null
fi
mvn -B -q package -DskipTests
gcc -O2 -o loadtest/target/responder loadtest/src/main/c/responder.c

# Results go to loadtest/results unless the flags name another --out.
out=(--out loadtest/results)
for a in "$@"; do
  case "$a" in --out | --out=*) out=() ;; esac
done

# The tracker runs in the foreground of this script's child, never as a system service.
# The generator's own JVM: on its one CPU the JVM picks Serial with a large young generation, whose
# pauses (45-61 ms) showed as the maximum latency of every tracker, even of the trivial responder;
# an 8 MiB young generation pauses for under a millisecond (responder maximum 6-12 ms).
exec taskset -c 1 java -XX:+UseSerialGC -Xmn8m -jar loadtest/target/swarmkeeper-loadtest.jar bench \
  --tracker-cpu 0 --opentracker "$(command -v opentracker)" \
  --responder loadtest/target/responder "${out[@]}" "$@"
