// Node's built-in modules are shared by every test file a jest worker runs (jest gives each file its own
// npm modules, not its own builtins). A suite that patches one and leaves it patched (nock without
// nock.restore()) breaks whichever suite the worker runs next, far from the cause: a connect to a closed
// port "succeeds", gRPC never reaches its server. This fails the suite that left the patch instead.
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');

const watched = () => ({
  'net.Socket.prototype.connect': net.Socket.prototype.connect,
  'http.Agent.prototype.addRequest': http.Agent.prototype.addRequest,
  'http.request': http.request,
  'http.get': http.get,
  'https.request': https.request,
  'https.get': https.get,
});

// Taken before the test file is loaded: a library that patches on import (nock) is caught too.
const before = watched();

afterAll(() => {
  const after = watched();
  const patched = Object.keys(before).filter((name) => after[name] !== before[name]);
  if (patched.length > 0) {
    throw new Error(`this test file left ${patched.join(', ')} patched for the suites its jest worker runs next: undo it in afterAll (nock: nock.restore())`);
  }
});
