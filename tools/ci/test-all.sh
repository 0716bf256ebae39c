#!/usr/bin/env bash
# The whole test suite: lint (module boundaries), type-check, unit, integration and end-to-end tests.
# Integration and end-to-end suites start their own PostgreSQL and redis-server on free ports.
# Every stage runs even if an earlier one failed; the exit code is non-zero if any failed, and the last
# line is the total: "Tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p reports
rm -f reports/jest-*.json
failed_stages=()
stage() { local name=$1; shift; echo; echo "=== $name: $*"; local t0=$SECONDS; if "$@"; then echo "=== $name passed in $((SECONDS - t0)) s"; else echo "=== $name FAILED in $((SECONDS - t0)) s"; failed_stages+=("$name"); fi; }

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
stage lint npx nx run-many -t lint --parallel=2 --outputStyle=static
stage boundaries bash tools/ci/check-boundaries.sh
stage workspace node tools/ci/check-workspace.cjs
# Deployment: Terraform formatting (its invariants are unit tests of tools/deploy-checks) and the compose file.
stage terraform-fmt bash -c 'command -v terraform >/dev/null || { echo "terraform is not installed (no apt package): install Terraform >= 1.9, https://developer.hashicorp.com/terraform/install" >&2; exit 1; }; terraform fmt -check -recursive -diff deploy/terraform'
stage compose-config docker-compose -f docker-compose.yml config -q
# Observability: Prometheus' config and alert rules are valid, and the rules' unit tests pass.
stage prometheus-config promtool check config deploy/observability/prometheus/prometheus.yml
stage prometheus-rules bash -c 'promtool check rules deploy/observability/prometheus/rules/*.yml && promtool test rules deploy/observability/prometheus/rules-tests/*.test.yml'
stage generated npx nx run serving-contract:check-generated --outputStyle=static
# One program over the whole workspace: each lib is checked once, not once per project importing it (the
# projects' own `typecheck` targets stay for working on one project).
stage typecheck npx tsc -p tsconfig.typecheck.json
stage unit env TEST_KIND=unit npx jest -c jest.config.cjs --ci --json --outputFile=reports/jest-unit.json
stage integration env TEST_KIND=int npx jest -c jest.config.cjs --ci --maxWorkers=2 --json --outputFile=reports/jest-int.json
stage e2e env TEST_KIND=e2e npx jest -c jest.config.cjs --ci --maxWorkers=2 --json --outputFile=reports/jest-e2e.json
# Node 22 (the images' runtime): the unit suites, each service's lifecycle and DuckDB's suites again.
stage node22 bash tools/ci/node22.sh

node -e '
const fs = require("node:fs");
let passed = 0, failed = 0, skipped = 0;
for (const kind of ["unit", "int", "e2e", "unit-node22", "int-node22", "e2e-node22"]) {
  const file = `reports/jest-${kind}.json`;
  if (!fs.existsSync(file)) { console.log(`${kind}: no report (the stage did not run to the end)`); failed++; continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  console.log(`${kind}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped in ${r.numTotalTestSuites} suites`);
  if (r.numTotalTests === 0) { console.log(`${kind}: ran no test`); failed++; }
  passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
}
fs.writeFileSync("reports/test-summary.txt", `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
'
if ((${#failed_stages[@]})); then echo "failed stages: ${failed_stages[*]}"; fi
cat reports/test-summary.txt
((${#failed_stages[@]} == 0))
