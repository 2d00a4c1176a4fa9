import { bundledMain } from '../../../../test-support/bundle.js';
import { CLI_DIR } from './cli-paths.js';

/**
 * The `catalog` under test: a bundle of src/main.ts built once per change of its inputs and
 * shared by the suite's test processes (test-support/bundle.ts says how and why).
 */
export function builtCli(): Promise<string> {
  return bundledMain(CLI_DIR);
}
