import assert from 'node:assert/strict';
import { pageSchema, ProductSchema, UserSchema } from '@catalog/contract';
import { z } from 'zod';
import { containerState, docker } from '../docker.js';
import { ok } from '../report.js';

const MigrationStatusSchema = z.object({ executed: z.array(z.string()), pending: z.array(z.string()) });

/** An admin made with the `catalog` CLI inside the container, the password on standard input. */
export async function createAdmin(name: string, admin: { email: string; password: string }): Promise<void> {
  const args = ['users', 'create', '--email', admin.email, '--role', 'admin', '--password-stdin', '--format', 'json'];
  const output = await docker(['exec', '-i', name, 'catalog', ...args], { input: `${admin.password}\n` });
  assert.equal(UserSchema.parse(JSON.parse(output)).role, 'admin');
  ok(`docker exec ${name} catalog users create --role admin --password-stdin`);
}

/** The `catalog` CLI on PATH in the container reads the server's database: the products and the migrations. */
export async function checkCli(name: string, productIds: string[]): Promise<void> {
  const list = await docker(['exec', name, 'catalog', 'products', 'list', '--limit', '100', '--format', 'json']);
  const ids = pageSchema(ProductSchema)
    .parse(JSON.parse(list))
    .data.map((p) => p.id)
    .sort();
  assert.deepEqual(ids, productIds);
  const status = MigrationStatusSchema.parse(
    JSON.parse(await docker(['exec', name, 'catalog', 'db', 'status', '--format', 'json'])),
  );
  assert.ok(status.executed.length > 0);
  assert.deepEqual(status.pending, []);
  ok(`docker exec ${name} catalog products list / db status: the server's products, every migration applied`);
}

/** `docker stop` (SIGTERM, SIGKILL after Docker's 10 s): the server must exit 0 on its own, sooner. */
export async function stopWithinGrace(name: string): Promise<void> {
  const started = Date.now();
  await docker(['stop', name]);
  const elapsed = Date.now() - started;
  const state = await containerState(name);
  assert.equal(state.status, 'exited');
  assert.equal(state.exitCode, 0, `exit code after docker stop`);
  assert.ok(elapsed < 10_000, `docker stop took ${elapsed} ms`);
  ok(`docker stop ${name}: exit code 0 after ${(elapsed / 1000).toFixed(1)} s`);
}
