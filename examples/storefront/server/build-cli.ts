import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STOREFRONT_ROOT, bundleStorefront } from './bundle.js';

// `npm run build`: dist/ holds a static copy of the page (index.html, storefront.css,
// storefront.js) for any static host that proxies the API on the same origin.
const dist = join(STOREFRONT_ROOT, 'dist');
await mkdir(dist, { recursive: true });
await bundleStorefront({ outfile: join(dist, 'storefront.js'), minify: true });
for (const file of ['index.html', 'storefront.css'])
  await copyFile(join(STOREFRONT_ROOT, 'public', file), join(dist, file));
console.log(`storefront built into ${dist}`);
