#!/usr/bin/env bash
# Builds the container image without a Docker daemon: the base from Debian packages (base.sh,
# cached), then the tracker on it with Jib (the server module's -Pimage profile). Writes
# server/target/swarmkeeper-image.tar (docker-archive, tagged swarmkeeper:VERSION) and prints its path.
#
#   scripts/image/build.sh                  build the image tar
#   scripts/image/build.sh --check          build it and run k8s's ContainerImageTest against it
#                                           (podman: inspect, run, UDP/HTTP announce, /metrics,
#                                           HEALTHCHECK): what .ci/run does
#   MAVEN_ARGS="-o" scripts/image/build.sh  extra Maven arguments (offline here)
#
# Load it with `podman load -i server/target/swarmkeeper-image.tar` (or docker load), or push it
# with `skopeo copy docker-archive:server/target/swarmkeeper-image.tar docker://REGISTRY/swarmkeeper:TAG`.
# Needs (Debian): mmdebstrap podman runc, a JDK 17 and Maven.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
base="$(scripts/image/base.sh)"
image="$root/server/target/swarmkeeper-image.tar"
modules=test-support,swarm,cluster,tracker-udp,tracker-http,registry,redis,server
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of words
if [[ "${1:-}" == "--check" ]]; then
  mvn -B ${MAVEN_ARGS:-} verify -Pimage -Dimage.base="tar://$base" -pl "$modules,k8s" \
    -Dtest=ContainerImageTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dswarmkeeper.image="$image"
else
  mvn -B -q ${MAVEN_ARGS:-} package -Pimage -Dimage.base="tar://$base" -pl "$modules" -DskipTests
fi
echo "$image"
