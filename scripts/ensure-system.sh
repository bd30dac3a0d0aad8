#!/usr/bin/env bash
# Install missing Debian packages when we may (root with apt-get), else say what to run.
# Usage: scripts/ensure-system.sh gettext chromium postgresql redis-server
set -euo pipefail
declare -A probe=( [gettext]=msgfmt [chromium]=chromium [postgresql]=pg_ctlcluster [redis-server]=redis-server [poppler-utils]=pdftotext )
missing=()
for pkg in "$@"; do
  cmd=${probe[$pkg]:-$pkg}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ "${NO_APT:-}" != "1" ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
