#!/usr/bin/env bash
# Install the check-time npm tools (package.json devDependencies, e.g. vnu-jar, the W3C
# Nu HTML Checker) into node_modules/ (gitignored), once per package-lock.json.
# Idempotent: a stamp named after the lock file's hash skips the install when current.
# Needs npm and the npm registry; Java runs the checker (/usr/bin/java).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp="node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)"
if [ -f "$stamp" ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed (apt-get install npm)" >&2; exit 1; }
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; we use the system's.
npm ci --no-audit --no-fund --silent --ignore-scripts
rm -f node_modules/.installed-*
touch "$stamp"
