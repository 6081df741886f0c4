#!/usr/bin/env bash
# A fleet of swarmkeeper nodes on loopback, from the built jar: one Hazelcast cluster, every node a
# tracker that answers for every swarm.
#
#   scripts/local-fleet.sh start [N]   start N nodes (default 3, at most 20); waits until all are ready
#   scripts/local-fleet.sh stop        SIGTERM to every node, last first, each waited for
#   scripts/local-fleet.sh status      each node's pid and readiness, then /fleet of the first alive
#
# Node i (1..N) listens on 127.0.0.1:
#   tracker  UDP and HTTP  6969+i   (6970, 6971, ...)
#   admin    HTTP          8079+i   (8080, 8081, ...: /health, /ready, /fleet)
#   cluster  Hazelcast     5700+i   (5701, 5702, ...)
# Logs and pid files go to $SWARMKEEPER_FLEET_DIR (default ${TMPDIR:-/tmp}/swarmkeeper-fleet).
# JAVA_OPTS replaces the JVM options (default: -Xmx256m, the common pool 2 wide).
# SWARMKEEPER_FLEET_ARGS is added to every node's arguments (e.g. "--set cluster.backup-count=0").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/server/target/swarmkeeper.jar"
dir="${SWARMKEEPER_FLEET_DIR:-${TMPDIR:-/tmp}/swarmkeeper-fleet}"
java_opts="${JAVA_OPTS:--Xmx256m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}"
max_nodes=20
ready_seconds="${READY_SECONDS:-120}"
stop_seconds="${STOP_SECONDS:-120}"

tracker_port() { echo $((6969 + $1)); }
admin_port() { echo $((8079 + $1)); }
cluster_port() { echo $((5700 + $1)); }

die() {
  echo "local-fleet: $*" >&2
  exit 1
}

alive() { # pid file -> true when its process runs
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

http_code() {
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true
}

nodes_started() {
  [[ -f "$dir/nodes" ]] && cat "$dir/nodes" || echo 0
}

start() {
  local n="${1:-3}"
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= max_nodes)) || die "N must be 1..$max_nodes, got '$n'"
  [[ -f "$jar" ]] || die "no $jar: build it first with 'mvn -B package -DskipTests' (in $root)"
  command -v java >/dev/null || die "java is not on the PATH"
  command -v curl >/dev/null || die "curl is needed to wait for /ready"
  mkdir -p "$dir"
  local i
  for ((i = 1; i <= $(nodes_started); i++)); do
    alive "$dir/node-$i.pid" && die "a fleet is running already (node $i, pid $(cat "$dir/node-$i.pid")): '$0 stop' first"
  done
  for ((i = 1; i <= n; i++)); do
    for port in "$(tracker_port "$i")" "$(admin_port "$i")" "$(cluster_port "$i")"; do
      if ss -Htuln "sport = :$port" 2>/dev/null | grep -q .; then
        die "port $port (node $i) is in use on this machine"
      fi
    done
  done

  # A name of its own, so that the fleet never joins another on this machine.
  local cluster="local-fleet-$(date +%s)-$$"
  local members=()
  for ((i = 1; i <= n; i++)); do members+=("127.0.0.1:$(cluster_port "$i")"); done
  local member_list
  member_list="$(IFS=,; echo "${members[*]}")"
  echo "$n" >"$dir/nodes"
  echo "$cluster" >"$dir/cluster"

  for ((i = 1; i <= n; i++)); do
    # shellcheck disable=SC2086 # java_opts is a list of options
    nohup java $java_opts -jar "$jar" \
      --host 127.0.0.1 \
      --udp-port "$(tracker_port "$i")" --http-port "$(tracker_port "$i")" \
      --admin-port "$(admin_port "$i")" --set admin.host=127.0.0.1 \
      --store hazelcast --cluster-host 127.0.0.1 --cluster-port "$(cluster_port "$i")" \
      --cluster-members "$member_list" --cluster-name "$cluster" \
      ${SWARMKEEPER_FLEET_ARGS:-} \
      >"$dir/node-$i.log" 2>&1 </dev/null &
    echo $! >"$dir/node-$i.pid"
  done
  echo "started $n node(s) in cluster $cluster; waiting for /ready (up to ${ready_seconds} s)"

  local deadline=$((SECONDS + ready_seconds)) waiting
  while :; do
    waiting=0
    for ((i = 1; i <= n; i++)); do
      if ! alive "$dir/node-$i.pid"; then
        echo "local-fleet: node $i ended while starting; the end of $dir/node-$i.log:" >&2
        tail -n 20 "$dir/node-$i.log" >&2
        stop
        exit 1
      fi
      [[ "$(http_code "http://127.0.0.1:$(admin_port "$i")/ready")" == 200 ]] || waiting=$((waiting + 1))
    done
    ((waiting == 0)) && break
    if ((SECONDS >= deadline)); then
      echo "local-fleet: $waiting node(s) not ready after ${ready_seconds} s; logs in $dir" >&2
      stop
      exit 1
    fi
    sleep 1
  done

  echo "fleet ready: $n node(s), logs and pids in $dir"
  printf '%-5s %-8s %-22s %-22s %-28s %s\n' node pid "tracker udp" "tracker http" "admin" cluster
  for ((i = 1; i <= n; i++)); do
    printf '%-5s %-8s %-22s %-22s %-28s %s\n' "$i" "$(cat "$dir/node-$i.pid")" \
      "udp://127.0.0.1:$(tracker_port "$i")" "http://127.0.0.1:$(tracker_port "$i")" \
      "http://127.0.0.1:$(admin_port "$i")/fleet" "127.0.0.1:$(cluster_port "$i")"
  done
  echo "announce: http://127.0.0.1:$(tracker_port 1)/announce (any node); stop: $0 stop"
}

stop() {
  local n i pid deadline
  n="$(nodes_started)"
  ((n > 0)) || { echo "no fleet started from $dir"; return 0; }
  # Last first: each leaves gracefully, handing its partitions to the nodes still running.
  for ((i = n; i >= 1; i--)); do
    if ! alive "$dir/node-$i.pid"; then
      rm -f "$dir/node-$i.pid"
      continue
    fi
    pid="$(cat "$dir/node-$i.pid")"
    kill -TERM "$pid"
    deadline=$((SECONDS + stop_seconds))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "local-fleet: node $i (pid $pid) still running ${stop_seconds} s after SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    else
      echo "node $i (pid $pid) stopped"
    fi
    rm -f "$dir/node-$i.pid"
  done
  rm -f "$dir/nodes" "$dir/cluster"
}

status() {
  local n i first=0
  n="$(nodes_started)"
  ((n > 0)) || { echo "no fleet started from $dir"; return 1; }
  echo "cluster $(cat "$dir/cluster" 2>/dev/null || echo '?'), $n node(s), logs in $dir"
  for ((i = 1; i <= n; i++)); do
    if alive "$dir/node-$i.pid"; then
      echo "node $i: pid $(cat "$dir/node-$i.pid"), /ready $(http_code "http://127.0.0.1:$(admin_port "$i")/ready")"
      ((first > 0)) || first=$i
    else
      echo "node $i: not running"
    fi
  done
  ((first > 0)) || return 1
  echo "/fleet of node $first:"
  curl -s -m 5 "http://127.0.0.1:$(admin_port "$first")/fleet"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start [N] | stop | status" >&2
    exit 2
    ;;
esac
