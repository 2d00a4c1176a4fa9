import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Catalog } from '@catalog/core';
import { createServer, type ServerOptions } from '@catalog/server';
import { STOREFRONT_ROOT, bundleStorefront } from './bundle.js';

export interface StorefrontOptions {
  /** The catalog the API serves. */
  catalog: Catalog;
  /** Settings of the embedded API server (public reads, rate limits, log level…). */
  server?: ServerOptions;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
}

export interface RunningStorefront {
  /** Where the page is, e.g. `http://127.0.0.1:41234/`; the API is on the same origin. */
  readonly url: string;
  /** Stops listening and drops open connections (the catalog stays open: its owner closes it). */
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: string;
}

// The page is a strict same-origin app: no inline script, no third-party anything.
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

async function loadAssets(): Promise<Map<string, Asset>> {
  const read = (name: string) => readFile(join(STOREFRONT_ROOT, 'public', name), 'utf8');
  const html: Asset = { type: 'text/html; charset=utf-8', body: await read('index.html') };
  return new Map([
    ['/', html],
    ['/index.html', html],
    ['/storefront.css', { type: 'text/css; charset=utf-8', body: await read('storefront.css') }],
    ['/storefront.js', { type: 'text/javascript; charset=utf-8', body: await bundleStorefront() }],
  ]);
}

/**
 * Serves the storefront page and the Catalog REST API from one origin: the page's three files
 * are answered here, every other request goes to `createServer(catalog)`'s Koa app. One origin
 * means no CORS setup and the page can call the API with `baseUrl: ''`.
 *
 * @example
 * const storefront = await startStorefront({ catalog, port: 8080 });
 * console.log(`open ${storefront.url}`);
 * @throws {Error} when the page does not compile or the port is taken.
 */
export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const assets = await loadAssets();
  const api = createServer(options.catalog, options.server ?? {}).callback();
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://storefront.local').pathname;
    const asset = req.method === 'GET' || req.method === 'HEAD' ? assets.get(path) : undefined;
    if (!asset) {
      void api(req, res);
      return;
    }
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': asset.type,
      'content-length': Buffer.byteLength(asset.body),
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = http.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      }),
  };
}
