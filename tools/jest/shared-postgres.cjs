// The PostgreSQL one jest run shares, as a process of its own: started by global-setup.cjs, which reads the
// ready line it prints; see serveSharedTestPostgres in libs/testing/src/lib/shared-test-postgres.ts.
// The file is required directly, not through @bnpl/testing: the index would load Pub/Sub and Redis
// clients this process never uses, and this start-up delays every suite of the run.
require('../register.cjs');
require('../../libs/testing/src/lib/shared-test-postgres.ts').serveSharedTestPostgres();
