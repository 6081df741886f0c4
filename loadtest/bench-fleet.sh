#!/usr/bin/env bash
# What a fleet costs against one node, on loopback: every tracker process pinned to CPU 0 (the
# three members of the fleet too, so CPU time compares), the load generator to CPU 1.
#   loadtest/bench-fleet.sh              both parts with their defaults (35-60 minutes; the fleet
#                                        takes most of it populating 1,000,000 peers on one core):
#     fleet  single node (memory store) against a 3-member fleet at the same fixed rates (1,000
#            and 3,000 requests/s), 1,000,000 peers in 100,000 swarms, 3 alternating rounds: CPU s
#            of all tracker processes per response, p50/p99/p99.9, timeouts and failed answers,
#            heap per stored peer (backup count 1), CPU at rest
#     leave  1,000,000 peers in a 3-member fleet, SIGTERM to one member: time until it exits, its
#            exit code, and that the other two then count every peer
#   loadtest/bench-fleet.sh fleet --rate 2000 --rounds 1   one part, with its flags (see --help)
# Writes loadtest/results/fleet-results.{md,json} and fleet-leave.{md,json} (--out elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."

parts=(fleet leave)
if [[ $# -gt 0 && ($1 == fleet || $1 == leave) ]]; then
  parts=("$1")
  shift
fi
if [[ $# -gt 0 && ${#parts[@]} -gt 1 ]]; then
  echo "flags go to one part: $0 fleet|leave [flags]" >&2
  exit 2
fi

# Builds when a jar is missing or a source or pom is newer than the server jar (built first).
server_jar=server/target/swarmkeeper.jar
loadtest_jar=loadtest/target/swarmkeeper-loadtest.jar
if [[ ! -f $server_jar || ! -f $loadtest_jar ||
  -n $(find pom.xml ./*/pom.xml ./*/src -newer "$server_jar" -print -quit) ]]; then
  # Offline first: the dependencies are usually in ~/.m2 already.
  mvn -B -q -o package -DskipTests -pl server,loadtest -am ||
    mvn -B -q package -DskipTests -pl server,loadtest -am
fi

# The trackers run as this script's children and are killed at the end of each measurement.
for part in "${parts[@]}"; do
  case "$part" in
    fleet) command=fleet ;;
    leave) command=fleet-leave ;;
  esac
  taskset -c 1 java -jar "$loadtest_jar" "$command" --tracker-cpu 0 "$@"
done
