// The PostgreSQL one jest run shares, as a process of its own, started by global-setup.cjs with the path of
// its announcement file; see serveSharedTestPostgres in libs/testing/src/lib/shared-test-postgres.ts.
// The file is required directly, not through @bnpl/testing: the index would load Pub/Sub and Redis
// clients this process never uses, and its start-up is on the way of the first suites.
require('../register.cjs');
require('../../libs/testing/src/lib/shared-test-postgres.ts').serveSharedTestPostgres(process.argv[2]);
