import { ConfigError } from '@catalog/core';
import { startServer } from './start.js';

// Entry point of `npm start` and of the Docker image: settings come from the environment.
try {
  await startServer();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Catalog server failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
