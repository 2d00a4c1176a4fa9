import type { User } from '@catalog/client';
import { byId } from './dom.js';

/** Shows the sign-in form when `user` is null, else who is signed in and a sign-out button. */
export function renderSession(user: User | null): void {
  byId('login', HTMLFormElement).hidden = user !== null;
  const session = byId('session', HTMLDivElement);
  session.hidden = user === null;
  const who = session.querySelector('[data-testid="signed-in-as"]');
  if (who)
    who.textContent = user ? `Signed in as ${user.name ?? user.email}${user.role === 'admin' ? ' (admin)' : ''}` : '';
}
