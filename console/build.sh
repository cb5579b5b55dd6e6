#!/usr/bin/env bash
# Builds the console into target/classes/dev/sluice/console/webroot, where Maven packs it into the jar (run by the
# console module's pom in generate-resources). Installs the locked npm packages when node_modules is missing or older
# than package-lock.json, and builds only when a source changed since the last build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "console/build.sh: building the console needs Node.js 20.19+ and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
out=target/classes/dev/sluice/console/webroot
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # `npm install` at the locked versions rather than `npm ci`: npm records only the platform packages (rollup's,
  # esbuild's) it could fetch here, and `npm ci` refuses a lock file without the others.
  npm install --no-audit --no-fund --loglevel=error
fi
if [[ -f $out/index.html && -z $(find src index.html vite.config.js package-lock.json -newer "$out/index.html" -print -quit) ]]; then
  echo "console: up to date"
  exit 0
fi
npx vite build --logLevel warn
echo "console: built into $out"
