#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and runs the demo task against a local Docker engine:
#   bash scripts/demo.sh            (as root, or with sudo available for apt and dockerd)
# Nothing is pulled from a registry: the demo's base image is made locally from busybox-static.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

bash scripts/setup.sh run
npm run build

# A Docker engine: use the one that answers, else start dockerd and wait for it (no blind sleep).
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: /tmp/acr-tasks-demo-dockerd.log)"
  sudo_if_needed sh -c 'dockerd >/tmp/acr-tasks-demo-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/acr-tasks-demo-dockerd.log" >&2; exit 1; }
fi

# The demo's base image, made from busybox-static (the test suite makes the same image).
if ! docker image inspect acrtest/busybox:1 >/dev/null 2>&1; then
  root="$(mktemp -d)"
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  "$root/bin/busybox" --install -s "$root/bin"
  # --install links to the host path of busybox; point the links at the copy inside the image.
  for link in "$root"/bin/*; do [[ -L $link ]] && ln -sf /bin/busybox "$link"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' - acrtest/busybox:1 >/dev/null
fi

node dist/cli.js validate examples/demo/acr-task.yaml
node dist/cli.js run examples/demo/acr-task.yaml
