#!/usr/bin/env node
// Launcher of the `catalog` command. A published or built package runs the compiled dist/main.js;
// a fresh checkout (no build step) runs the TypeScript sources in this same process through tsx,
// resolving the workspace packages to their sources with the `source` export condition. One
// process either way, so signals, exit codes and node:cluster workers behave identically.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const dist = new URL('../dist/main.js', import.meta.url);

if (existsSync(dist)) {
  await import(dist.href);
} else {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered last, so it runs first: adds the condition, then hands over to tsx's resolver.
  const hook =
    'export function resolve(s, c, next) { return next(s, c.conditions.includes("source") ? c : { ...c, conditions: [...c.conditions, "source"] }); }';
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  await import(new URL('../src/main.ts', import.meta.url).href);
}
