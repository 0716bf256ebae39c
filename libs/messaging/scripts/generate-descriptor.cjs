// Writes src/generated/messaging.descriptor.ts, the protobufjs reflection of
// proto/bnpl/featurestore/v1/messaging.proto (with the well-known types it imports), so that the payload
// codecs need no .proto file at run time. Run `npx nx run messaging:generate` after changing the proto;
// a unit test fails while the two disagree.
const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const root = path.join(__dirname, '../../..');
const proto = 'proto/bnpl/featurestore/v1/messaging.proto';
const descriptor = protobuf.loadSync(path.join(root, proto)).resolveAll().toJSON();
const out = path.join(__dirname, '../src/generated/messaging.descriptor.ts');
fs.writeFileSync(
  out,
  `// Generated from ${proto} by libs/messaging/scripts/generate-descriptor.cjs: do not edit.\n` +
    `import type { INamespace } from 'protobufjs';\n\n` +
    `export const messagingDescriptor: INamespace = ${JSON.stringify(descriptor, null, 2)};\n`,
);
console.log(`wrote ${path.relative(root, out)}`);
