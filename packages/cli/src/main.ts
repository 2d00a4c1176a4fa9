import { isServing } from './lifecycle.js';
import { run } from './run.js';

// `catalog … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await run(process.argv);
process.exitCode = code;
if (!isServing()) {
  // A finished command exits now, even if a library left a handle open (a pool timer, a socket):
  // a CLI that prints its answer and then hangs is worse than useless in a script.
  if (process.env.CATALOG_DEBUG_HANDLES)
    process.stderr.write(`active: ${process.getActiveResourcesInfo().join(', ')}\n`);
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))),
  );
  process.exit(code);
}
