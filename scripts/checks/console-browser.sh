#!/usr/bin/env bash
# The operator console in a real browser: headless Chromium and chromium-driver from the
# distribution, Selenium from PyPI (.ci/run installs all three). Starts its own server on
# loopback; screenshots at 1280 and 390 px go to artifacts/console/ (gitignored; CI keeps
# them as artifacts). Usage: console-browser.sh [BINARY] (default: the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=${1:-.build/debug/bulkhead}
for tool in chromium chromedriver; do
    if ! command -v "$tool" >/dev/null; then
        echo "console-browser: $tool is not installed (apt-get install chromium chromium-driver)" >&2
        exit 1
    fi
done
if ! python3 -c 'import selenium' 2>/dev/null; then
    echo "console-browser: selenium is not installed (python3 -m pip install selenium)" >&2
    exit 1
fi
[[ -x "$binary" ]] || swift build --product bulkhead
exec python3 scripts/checks/console_browser.py "$binary" --artifacts "${BULKHEAD_CONSOLE_ARTIFACTS:-artifacts/console}"
