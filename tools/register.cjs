// Runs TypeScript sources directly (local stack, CLIs, dev servers): SWC with decorator metadata,
// workspace path aliases from tsconfig.base.json.
process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || require('node:path').join(__dirname, '..', 'tsconfig.base.json');
process.env.SWC_NODE_PROJECT = process.env.TS_NODE_PROJECT;
require('@swc-node/register');
