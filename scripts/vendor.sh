#!/usr/bin/env bash
# Copy the front-end packages named in package.json into static/vendor/ (committed).
# Run after changing a version: `make vendor`. Needs npm; users never do.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --silent
rm -rf static/vendor/bootstrap
mkdir -p static/vendor/bootstrap
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} static/vendor/bootstrap/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
node -e 'for (const p of ["bootstrap"]) console.log(p, require(`./node_modules/${p}/package.json`).version)' > static/vendor/VERSIONS.txt
