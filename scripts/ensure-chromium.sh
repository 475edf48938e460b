#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser e2e test
# (test/e2e/browser.test.ts drives it with playwright-core; no browser is
# downloaded from anywhere else). Installs it with apt-get when missing and we
# are root; otherwise fails with a clear message.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
	exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
	echo "scripts/ensure-chromium.sh: ERROR: $CHROMIUM is missing and we are not root." >&2
	echo "  Install Debian's Chromium: sudo apt-get update && sudo apt-get install -y chromium" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "scripts/ensure-chromium.sh: ERROR: $CHROMIUM is missing and there is no apt-get to install it." >&2
	echo "  Install Chromium so that $CHROMIUM exists." >&2
	exit 1
fi

echo "scripts/ensure-chromium.sh: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 || { echo "scripts/ensure-chromium.sh: ERROR: apt-get update failed" >&2; exit 1; }
apt-get install -y -q chromium >&2 || { echo "scripts/ensure-chromium.sh: ERROR: apt-get install chromium failed" >&2; exit 1; }
[[ -x "$CHROMIUM" ]] || { echo "scripts/ensure-chromium.sh: ERROR: chromium installed but $CHROMIUM is not there" >&2; exit 1; }
