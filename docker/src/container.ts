import { Api } from './api.js';
import { containerState, docker } from './docker.js';

export const IMAGE = 'catalog';

export interface ContainerOptions {
  name: string;
  port: number;
  /** A named volume mounted on /app/data; without one Docker makes an anonymous volume (VOLUME). */
  volume?: string;
  env?: Record<string, string>;
}

/**
 * Starts the image as users run it, on the host's network (a free port, loopback only). The
 * health check keeps the Dockerfile's command; only its interval is shortened, a `docker run`
 * option, so that `healthy` is reached in seconds rather than after the first 30 s interval.
 */
export async function startContainer(options: ContainerOptions): Promise<Api> {
  const env = { CATALOG_PORT: String(options.port), CATALOG_HOST: '127.0.0.1', ...options.env };
  const args = ['run', '-d', '--name', options.name, '--network', 'host', '--health-interval', '1s'];
  if (options.volume) args.push('-v', `${options.volume}:/app/data`);
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  await docker([...args, IMAGE]);
  const api = new Api(`http://127.0.0.1:${options.port}`);
  await waitFor(
    `${options.name} answers /healthz`,
    60,
    async () => (await api.status('/healthz').catch(() => 0)) === 200,
  );
  return api;
}

export async function waitForHealthy(name: string): Promise<void> {
  await waitFor(`${name} healthy`, 60, async () => (await containerState(name)).health === 'healthy');
}

async function waitFor(what: string, seconds: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
