// Writes src/generated/<name>.descriptor.ts, the protobufjs reflection of each payload proto below (with the
// well-known types it imports), so that the payload codecs need no .proto file at run time. Run
// `npx nx run messaging:generate` after changing a proto; a unit test fails while they disagree.
const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const root = path.join(__dirname, '../../..');
const descriptors = [
  { proto: 'proto/bnpl/featurestore/v1/messaging.proto', file: 'messaging.descriptor.ts', name: 'messagingDescriptor' },
  { proto: 'proto/bnpl/featurestore/v1/decision_records.proto', file: 'decision-records.descriptor.ts', name: 'decisionRecordsDescriptor' },
];
for (const { proto, file, name } of descriptors) {
  const descriptor = protobuf.loadSync(path.join(root, proto)).resolveAll().toJSON();
  const out = path.join(__dirname, '../src/generated', file);
  fs.writeFileSync(
    out,
    `// Generated from ${proto} by libs/messaging/scripts/generate-descriptor.cjs: do not edit.\n` +
      `import type { INamespace } from 'protobufjs';\n\n` +
      `export const ${name}: INamespace = ${JSON.stringify(descriptor, null, 2)};\n`,
  );
  console.log(`wrote ${path.relative(root, out)}`);
}
