#!/usr/bin/env bash
# The suites on Node 22, the runtime of the service images, beside the main run on this machine's Node
# (20): every unit suite, each service's lifecycle suite (the real main.ts booted, probed and stopped, on
# Node 22: the services run on the Node that runs jest) and the native DuckDB binding's suites. The other
# integration and end-to-end suites run once, on the main Node: running all of them twice would add about
# as much time again to CI for code that does not depend on the Node version.
# Node 22 comes from the npm registry (the `node` package), installed once into BNPL_NODE22_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BNPL_NODE22_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bnpl/node22}
node22="$dir/node_modules/node/bin/node"
if ! [ -x "$node22" ] || [[ "$("$node22" --version)" != v22.* ]]; then
  echo "installing Node 22 from the npm registry into $dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node@22 >/dev/null
fi
echo "running on Node $("$node22" --version) ($node22)"
export PATH="$(dirname "$node22"):$PATH"
mkdir -p reports
jest=(node node_modules/.bin/jest -c jest.config.cjs --ci --json)
status=0
TEST_KIND=unit "${jest[@]}" --outputFile=reports/jest-unit-node22.json || status=1
TEST_KIND=int "${jest[@]}" --outputFile=reports/jest-int-node22.json 'libs/offline-store-duckdb/' || status=1
TEST_KIND=e2e "${jest[@]}" --maxWorkers=2 --outputFile=reports/jest-e2e-node22.json 'apps/[^/]+/src/app\.e2e-spec\.ts' || status=1
exit $status
