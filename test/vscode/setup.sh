#!/usr/bin/env bash
# Installs the real VS Code the in-host and UI tests run in: code-server 4.100.3 (VS Code 1.100.3 server and
# web workbench) into test/vscode/code-server/node_modules, offline apart from the npm registry.
# Idempotent: a finished install is detected by a marker and skipped (~0.1 s); a fresh one takes ~1 min.
#
# Needs (apt): build-essential pkg-config python3 libkrb5-dev ripgrep chromium, and Node 20 (code-server
# refuses other majors). Runs as root on CI machines, hence the environment below.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/code-server"
marker="$dir/node_modules/.acr-tasks-setup-done"
if [[ -f "$marker" && "$(cat "$marker")" == "$(sha256sum <"$dir/package-lock.json")" ]]; then
  exit 0
fi

for tool in rg node npm tar; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' is not installed (apt: ripgrep, Node 20)" >&2; exit 1; }
done

# unsafe_perm: code-server's postinstall refuses to run as root otherwise.
# yes: node-pty's install runs `npx node-gyp`, and the machine's npm config may say yes=false (no prompt here).
# nodedir: build native modules (node-pty, kerberos, argon2) against the installed Node headers, no download.
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}"
export npm_config_audit=false npm_config_fund=false

echo "setup: fetching code-server (scripts off) to learn its ripgrep version" >&2
npm --prefix "$dir" ci --ignore-scripts --no-audit --no-fund >/dev/null
shrinkwrap="$dir/node_modules/code-server/lib/vscode/npm-shrinkwrap.json"
ripgrep_package="$(node -p "require('$shrinkwrap').packages['node_modules/@vscode/ripgrep'].version")"

# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless the release tarball is
# already in its cache folder. Put Debian's rg there under the name it looks for.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "@vscode/ripgrep@$ripgrep_package" --silent >/dev/null && tar -xzf ./*.tgz)
rg_version="$(sed -nE "s/^const VERSION = '([^']+)'.*/\1/p" "$work/package/lib/postinstall.js")"
[[ -n "$rg_version" ]] || { echo "setup: cannot read VERSION from @vscode/ripgrep $ripgrep_package" >&2; exit 1; }
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$ripgrep_package"
mkdir -p "$cache" "$work/rg"
cp "$(command -v rg)" "$work/rg/rg"
tar -C "$work/rg" -czf "$cache/ripgrep-$rg_version-x86_64-unknown-linux-musl.tar.gz" rg

echo "setup: installing code-server (builds native modules, ~1 min)" >&2
npm --prefix "$dir" ci --no-audit --no-fund >/dev/null
test -x "$dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ||
  { echo "setup: ripgrep did not land in code-server" >&2; exit 1; }
sha256sum <"$dir/package-lock.json" >"$marker"
echo "setup: code-server ready" >&2
