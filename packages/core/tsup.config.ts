import { defineConfig } from 'tsup';

export default defineConfig({
  // The scan pool's worker (src/db/sqlite-scan-pool.ts) loads dist/sqlite-scan-worker.js by path.
  entry: { index: 'src/index.ts', testing: 'src/testing.ts', 'sqlite-scan-worker': 'src/db/sqlite-scan-worker.ts' },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});
