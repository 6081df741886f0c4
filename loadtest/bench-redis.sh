#!/usr/bin/env bash
# The Redis store against the memory store and a one-member Hazelcast store: loadtest bench with
# the tracker on CPU 0 and the generator on CPU 1, Redis (Debian's redis-server, no persistence)
# on CPU 1 beside the generator (a 2-CPU machine has no third core for it), 3 alternating rounds.
# Then the Redis's memory for the population the Redis rounds left in it: INFO memory, and
# MEMORY USAGE of every peer set against its ZCARD. Extra flags go to the bench command, e.g.
#   loadtest/bench-redis.sh --rounds 1 --duration 10 --out /tmp/quick
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
command -v gcc >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gcc >/dev/null; }
mvn -B -q package -DskipTests
gcc -O2 -o loadtest/target/responder loadtest/src/main/c/responder.c

port=6390
dir=$(mktemp -d)
taskset -c 1 redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$dir" --daemonize yes --logfile "$dir/redis.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

out=(--out loadtest/results/redis)
for a in "$@"; do
  case "$a" in --out | --out=*) out=() ;; esac
done

launcher=server/target/swarmkeeper/bin/swarmkeeper
taskset -c 1 java -XX:+UseSerialGC -Xmn8m -jar loadtest/target/swarmkeeper-loadtest.jar bench \
  --tracker-cpu 0 --responder loadtest/target/responder --windows 64,256 --latency-load 0 \
  --trackers "redis=$launcher -- --store redis --redis-url redis://127.0.0.1:$port,hazelcast=$launcher -- --store hazelcast,memory=$launcher" \
  "${out[@]}" "$@"

echo
echo "Redis memory after the population:"
redis-cli -p "$port" info memory | grep -E '^(used_memory|used_memory_dataset|used_memory_rss):'
redis-cli -p "$port" --scan --pattern 'sk:{*' | grep -E '(s4|l4|s6|l6)$' |
  awk '{print "ZCARD " $0; print "MEMORY USAGE " $0 " SAMPLES 0"}' |
  redis-cli -p "$port" | paste - - |
  awk '{peers += $1; bytes += $2; if ($1 <= 128) {sp += $1; sb += $2} else {bp += $1; bb += $2}}
       END {printf "peer sets: %d peers, %d bytes, %.1f bytes a peer (%.1f in sets of <= 128, %.1f above)\n",
            peers, bytes, bytes / peers, sb / (sp ? sp : 1), bb / (bp ? bp : 1)}'
