#!/usr/bin/env bash
# Builds the container image's base from Debian packages, without a Docker daemon, and prints the
# path of the docker-archive tar that Jib reads (tar://PATH, the server module's -Pimage profile).
#
#   Debian 12 (bookworm), variant minbase, with openjdk-17-jre-headless: made by mmdebstrap, imported
#   with podman, given the image's HEALTHCHECK (a podman build of Containerfile.base, docker format:
#   an OCI image config has no health check), saved as a docker-archive.
#
# The result is cached by content in $SWARMKEEPER_IMAGE_CACHE (default ~/.cache/swarmkeeper/image):
# its name carries a hash of this script, the Containerfile and the JRE version Debian offers now,
# so a new JRE security release or a change here makes a new base and anything else reuses it.
# Needs (Debian): mmdebstrap podman. Takes 2-3 minutes and 350 MB when not cached.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${SWARMKEEPER_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/swarmkeeper/image}"
suite=bookworm
jre=openjdk-17-jre-headless

for tool in mmdebstrap podman apt-cache; do
  command -v "$tool" >/dev/null || { echo "base.sh: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done
version="$(apt-cache policy "$jre" | awk '/Candidate:/ {print $2}')"
if [[ -z "$version" || "$version" == "(none)" ]]; then
  echo "base.sh: apt-cache knows no $jre (run apt-get update)" >&2
  exit 2
fi
key="$( (cat "$0" "$here/Containerfile.base"; echo "$suite $jre $version") | sha256sum | cut -c1-16)"
out="$cache/base-$key.tar"
if [[ -s "$out" ]]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.build-XXXXXX")"
trap 'rm -rf "$work"; podman rmi -f "localhost/swarmkeeper-rootfs:$key" "localhost/swarmkeeper-base:$key" >/dev/null 2>&1 || true' EXIT

echo "base.sh: building the base with $jre $version ($suite)" >&2
# Timestamps from a fixed epoch make the tar's metadata the same from run to run.
# The JRE's install script needs /usr/share/man/man1; documentation and manuals are left out.
SOURCE_DATE_EPOCH=1704067200 mmdebstrap --quiet --variant=minbase --include="$jre" \
  --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*' \
  "$suite" "$work/rootfs.tar" >&2
podman import --quiet "$work/rootfs.tar" "localhost/swarmkeeper-rootfs:$key" >/dev/null
podman build --quiet --format docker --build-arg "ROOTFS=localhost/swarmkeeper-rootfs:$key" \
  --tag "localhost/swarmkeeper-base:$key" --file "$here/Containerfile.base" "$here" >/dev/null
podman save --quiet --format docker-archive -o "$work/base.tar" "localhost/swarmkeeper-base:$key"
mv "$work/base.tar" "$out"
echo "$out"
