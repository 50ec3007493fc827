#!/usr/bin/env bash
# The README's test command: sets up a fresh Debian machine and runs every test tier. The tests start
# what they need themselves (dockerd, an htpasswd registry, a TLS engine, git/HTTP servers, code-server).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test
npm run test:ci
