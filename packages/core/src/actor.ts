import type { Role } from '@catalog/contract';
import { ForbiddenError, UnauthorizedError } from './errors.js';

/** Who is calling a service: a signed-in user (from a verified access token) or an operator. */
export interface Actor {
  id: string;
  role: Role;
  /**
   * The sign-in session (refresh-token family) the access token was issued for, when the actor
   * comes from one: a password change ends every other session of the user but this one.
   */
  session?: string;
}

/** Per-call options every service method accepts. No actor means an anonymous caller. */
export interface CallOptions {
  actor?: Actor | null;
  /** Abort a long operation (iterate, export). */
  signal?: AbortSignal;
}

/**
 * The actor that the CLI and trusted embedders use: full rights, not tied to a user row.
 * Pass it explicitly (`{ actor: SYSTEM_ACTOR }`); nothing defaults to it.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: '00000000-0000-7000-8000-000000000000', role: 'admin' });

/** @throws {UnauthorizedError} when nobody is signed in. */
export function requireUser(options: CallOptions | undefined): Actor {
  if (!options?.actor) throw new UnauthorizedError();
  return options.actor;
}

/** @throws {UnauthorizedError|ForbiddenError} unless the actor is an admin. */
export function requireAdmin(options: CallOptions | undefined): Actor {
  const actor = requireUser(options);
  if (actor.role !== 'admin') throw ForbiddenError.adminOnly();
  return actor;
}

export function isAdmin(options: CallOptions | undefined): boolean {
  return options?.actor?.role === 'admin';
}
