// The tests that start a private PostgreSQL primary and replica (cluster/postgres-cluster.ts): they
// need root and PostgreSQL's server programs, so `npm run test:cluster` runs them, not `npm test`.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx', '--conditions=source'],
  workerThreads: false,
  files: ['test/**/*.cluster.test.ts'],
  timeout: '3m',
};
