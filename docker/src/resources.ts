import { docker } from './docker.js';

/**
 * What the checks create (containers, a volume, a database), released once at the end, after a
 * failure has shown the containers' logs.
 */
export class Resources {
  private readonly containers: string[] = [];
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  /** Registers a container name for removal (with its anonymous volumes) and returns it. */
  container(name: string): string {
    this.containers.push(name);
    return name;
  }

  /** Runs after the containers are gone, last registered first. */
  onRelease(cleanup: () => Promise<unknown>): void {
    this.cleanups.unshift(cleanup);
  }

  async printLogs(): Promise<void> {
    for (const name of this.containers) {
      const logs = await docker(['logs', '--tail', '40', name], { withStderr: true }).catch((e: Error) => e.message);
      console.error(`--- last log lines of ${name}:\n${logs}`);
    }
  }

  async release(): Promise<void> {
    for (const name of this.containers) await docker(['rm', '-f', '-v', name]).catch(() => undefined);
    for (const cleanup of this.cleanups) await cleanup().catch((e: Error) => console.error(`cleanup: ${e.message}`));
  }
}
