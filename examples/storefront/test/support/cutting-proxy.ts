import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttingProxy {
  /** The proxy's origin with the target's path, e.g. `http://127.0.0.1:41235/`. */
  readonly url: string;
  /** Drops every connection open through the proxy, as a flaky network or a restarting proxy would. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `target` (an http URL) whose connections can be dropped mid-response:
 * it stands in for the network between the browser and the storefront, not for the storefront.
 */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port, pathname } = new URL(target);
  const open = new Set<Socket>();
  const server = createServer((browserSide) => {
    const serverSide = createConnection({ host: hostname, port: Number(port) });
    for (const [socket, other] of [
      [browserSide, serverSide],
      [serverSide, browserSide],
    ] as const) {
      open.add(socket);
      socket.pipe(other);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as AddressInfo;
  const cut = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${proxyPort}${pathname}`,
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
