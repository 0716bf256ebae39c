#!/usr/bin/env bash
# Proves the module-boundary rules forbid what they claim to: each probe below is a file that breaks one
# rule; lint must reject every one of them. (A rule that silently allows everything would pass `nx lint`.)
set -uo pipefail
cd "$(dirname "$0")/../.."
probes=(
  "libs/feature-definitions/src/__boundary_probe.ts|import { Injectable } from '@nestjs/common'; export const p = Injectable;|not allowed to import \"@nestjs/common\""
  "libs/feature-definitions/src/__boundary_probe.ts|import { Redis } from 'ioredis'; export const p = Redis;|not allowed to import \"ioredis\""
  "libs/offline-store-bigquery/src/__boundary_probe.ts|import { startTestPostgres } from '@bnpl/testing'; export const p = startTestPostgres;|can only depend on libs tagged with"
  "libs/service-launchers/src/__boundary_probe.ts|import { bnplCatalog } from '@bnpl/feature-definitions'; export const p = bnplCatalog;|can only depend on libs tagged with"
  "apps/rest-gateway/src/__boundary_probe.ts|import { Pool } from 'pg'; export const p = Pool;|not allowed to import \"pg\""
  "libs/postgres/src/__boundary_probe.ts|import { x } from '../../online-store/src/lib/online-store.port'; export const p = x;|relative"
  "libs/online-store/src/__boundary_probe.ts|import { Injectable } from '@nestjs/common'; export const p = Injectable;|not allowed to import \"@nestjs/common\""
  "libs/offline-store/src/__boundary_probe.ts|import { RedisOnlineStore } from '@bnpl/online-store-redis'; export const p = RedisOnlineStore;|can only depend on libs tagged with"
  "libs/parity/src/__boundary_probe.ts|import { ServingModule } from '@bnpl/serving-runtime'; export const p = ServingModule;|can only depend on libs tagged with"
  "libs/offline-store-duckdb/src/__boundary_probe.ts|import { MessagingModule } from '@bnpl/messaging-nest'; export const p = MessagingModule;|can only depend on libs tagged with"
  "libs/offline-store-bigquery/src/__boundary_probe.ts|import { RedisOnlineStore } from '@bnpl/online-store-redis'; export const p = RedisOnlineStore;|can only depend on libs tagged with"
  "libs/online-store-nest/src/__boundary_probe.ts|import { Redis } from 'ioredis'; export const p = Redis;|not allowed to import \"ioredis\""
  "apps/grpc-serving/src/__boundary_probe.ts|import { Redis } from 'ioredis'; export const p = Redis;|not allowed to import \"ioredis\""
  "libs/access-control/src/__boundary_probe.ts|import { Injectable } from '@nestjs/common'; export const p = Injectable;|not allowed to import \"@nestjs/common\""
  "libs/access-control/src/__boundary_probe.ts|import { Redis } from 'ioredis'; export const p = Redis;|not allowed to import \"ioredis\""
  "libs/access-control-nest/src/__boundary_probe.ts|import { Redis } from 'ioredis'; export const p = Redis;|not allowed to import \"ioredis\""
  "libs/redis-connection/src/__boundary_probe.ts|import { bnplCatalog } from '@bnpl/feature-definitions'; export const p = bnplCatalog;|can only depend on libs tagged with"
)
# The rule reads Nx's project graph; without a cached one, eslint skips it silently.
NX_DAEMON=false npx nx show projects >/dev/null
failed=0
for probe in "${probes[@]}"; do
  IFS='|' read -r file code expected <<<"$probe"
  printf '%s\n' "$code" >"$file"
  out=$(npx eslint --no-warn-ignored "$file" 2>&1)
  rm -f "$file"
  if grep -q -- "$expected" <<<"$out"; then echo "forbidden as it should be: $code"; else echo "NOT FORBIDDEN: $file: $code"; echo "$out"; failed=1; fi
done
exit $failed
