// `npm run test:e2e`: browser tests (headless Chromium), kept out of `npm test` for speed.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx', '--conditions=source'],
  workerThreads: false,
  files: ['e2e/**/*.e2e.test.ts'],
  timeout: '3m',
};
