import type { Server } from 'node:http';

/**
 * Closes an HTTP server gracefully: stop accepting connections, let in-flight requests finish,
 * close keep-alive connections as soon as they are idle, and cut whatever is still open after
 * `timeoutMs`. Resolves when the server has closed.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    // Connections that finish their request become idle; close them as they do.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    sweeper.unref();
    deadline.unref();
    server.close((error) => {
      clearInterval(sweeper);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
