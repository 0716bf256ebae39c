// TypeScript types for proto/bnpl/featurestore/v1/*.proto, made by @grpc/proto-loader's generator.
//   node libs/serving-contract/scripts/generate-types.cjs          -> rewrites src/generated (nx run serving-contract:generate)
//   node libs/serving-contract/scripts/generate-types.cjs --check  -> fails if src/generated differs from what the
//                                                                     protos produce (nx run serving-contract:check-generated)
// The flags must match SERVING_LOADER_OPTIONS in src/serving-proto.ts: the types describe what the loader yields.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const protoRoot = path.join(root, 'proto');
const packageDir = 'bnpl/featurestore/v1';
const committed = path.join(__dirname, '../src/generated');
const FLAGS = ['--keepCase', '--longs=String', '--enums=String', '--defaults', '--oneofs', '--includeComments', '--grpcLib=@grpc/grpc-js'];

function generate(outDir) {
  const protos = fs
    .readdirSync(path.join(protoRoot, packageDir))
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `${packageDir}/${f}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const bin = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js', { paths: [root] });
  // Run from the workspace root with paths relative to proto/: the generated headers name the files the same way
  // on every machine, so --check compares like with like.
  execFileSync(process.execPath, [bin, ...FLAGS, '-I', 'proto', '-O', outDir, ...protos], { cwd: root, stdio: 'inherit' });
}

function listFiles(dir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

function check() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'serving-contract-'));
  try {
    generate(tmp);
    const expected = listFiles(tmp);
    const actual = listFiles(committed);
    const differing = [
      ...expected.filter((f) => !actual.includes(f)).map((f) => `missing: ${f}`),
      ...actual.filter((f) => !expected.includes(f)).map((f) => `not generated from the protos: ${f}`),
      ...expected
        .filter((f) => actual.includes(f) && !fs.readFileSync(path.join(tmp, f)).equals(fs.readFileSync(path.join(committed, f))))
        .map((f) => `differs: ${f}`),
    ];
    if (differing.length > 0) {
      console.error(`libs/serving-contract/src/generated is out of date with proto/${packageDir}:`);
      for (const d of differing) console.error(`  ${d}`);
      console.error('Run `npx nx run serving-contract:generate` and commit the result (never edit generated files by hand).');
      process.exit(1);
    }
    console.log(`serving-contract: ${expected.length} generated files match proto/${packageDir}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv.includes('--check')) check();
else generate(committed);
