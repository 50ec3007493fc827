#!/usr/bin/env bash
# Runs a command (as root) in private mount and network namespaces with an empty /run, an empty
# /var/lib/docker and its own TMPDIR: a machine without a Docker engine, as far as the command can tell.
# Use it to exercise the test harness's "start dockerd" paths on a machine where an engine is already
# running, without touching that engine:
#   scripts/in-isolated-namespaces.sh npx mocha --config test/.mocharc.integration.json
# There is no network in there (only loopback), so run `npm ci` outside first.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
root="$(mktemp -d "${TMPDIR:-/tmp}/acrtest-isolated-XXXXXX")"
mkdir -p "$root/run" "$root/docker" "$root/tmp" /var/lib/docker
trap 'rm -rf "$root"' EXIT

# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --net --fork --propagation private bash -c '
  set -euo pipefail
  root="$1"; shift
  mount -t tmpfs -o mode=755 tmpfs /run
  mount --bind "$root/docker" /var/lib/docker
  ip link set lo up
  export TMPDIR="$root/tmp"
  "$@"
' isolated "$root" "$@"
