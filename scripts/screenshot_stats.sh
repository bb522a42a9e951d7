#!/usr/bin/env bash
# Save docs/screenshots/stats.png: /stats/ at 360 px, Indonesian, with test data.
# The browser test only checks the page; this script asks it to keep a picture.
set -euo pipefail
cd "$(dirname "$0")/.."
PORTAL_SCREENSHOTS_DIR=docs/screenshots .venv/bin/pytest -q -p no:cacheprovider \
  tests/e2e/test_stats_browser.py -k test_stats_on_a_phone
echo "saved docs/screenshots/stats.png"
