#!/usr/bin/env bash
# Installs what this project needs on a Debian machine (idempotent: only what is missing).
#   bash scripts/setup.sh run    packages to run tasks (Docker engine, busybox for the local base image, git)
#   bash scripts/setup.sh test   plus what the tests start themselves (registry, htpasswd, Chromium, …)
# Then `npm ci` if node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

profile="${1:-run}"
packages=(docker.io busybox-static git ca-certificates)
if [[ $profile == test ]]; then
  # docker-registry + apache2-utils: the auth registry; chromium: UI tests; ripgrep, build tools and
  # libkrb5-dev: code-server (a real VS Code) installs offline with them; iproute2/openssl: TLS engine tests.
  # bzip2/xz-utils/zstd: tarball build contexts in those formats are unpacked with the system tools.
  packages+=(docker-registry apache2-utils chromium ripgrep iproute2 openssl build-essential pkg-config python3 libkrb5-dev bzip2 xz-utils zstd openssh-server)
fi

sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "==> installing ${missing[*]}"
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
fi

command -v node >/dev/null || { echo "Node.js 20 is required (node not found)" >&2; exit 1; }
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund </dev/null
  touch node_modules
fi
