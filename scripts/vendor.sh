#!/usr/bin/env bash
# Copy the front-end packages named in package.json into static/vendor/ (committed).
# Run after changing a version: `make vendor`. Needs npm; users never do.
# axe-core is vendored for the accessibility checker only (tests/e2e/uicheck.py injects it
# into the page under test); no template links it, so users never download it.
# chart.js draws the charts of /stats/ (reports); only that page links it.
set -euo pipefail
cd "$(dirname "$0")/.."
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; we use the system's.
npm install --no-audit --no-fund --silent --ignore-scripts
rm -rf static/vendor/bootstrap static/vendor/axe-core static/vendor/chartjs
mkdir -p static/vendor/bootstrap static/vendor/axe-core static/vendor/chartjs
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} static/vendor/bootstrap/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
cp node_modules/axe-core/axe.min.js static/vendor/axe-core/
cp node_modules/axe-core/LICENSE static/vendor/axe-core/LICENSE
cp node_modules/axe-core/LICENSE-3RD-PARTY.txt static/vendor/axe-core/LICENSE-3RD-PARTY.txt
cp node_modules/chart.js/dist/chart.umd.min.js{,.map} static/vendor/chartjs/
cp node_modules/chart.js/LICENSE.md static/vendor/chartjs/LICENSE.md
node -e 'for (const p of ["axe-core", "bootstrap", "chart.js"]) console.log(p, require(`./node_modules/${p}/package.json`).version)' > static/vendor/VERSIONS.txt
