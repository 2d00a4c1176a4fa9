import type { Page, User, UserListQuery, UserPatch } from '@catalog/contract';
import type { CatalogClient, QueryValue, RequestOptions } from '../client.js';

/** Account administration (admins): `client.users`. */
export class UsersResource {
  readonly #client: CatalogClient;

  constructor(client: CatalogClient) {
    this.#client = client;
  }

  /**
   * One page of users (`GET /users`, admin), optionally one `role` and emails containing `search`.
   * Pass a page's `next_cursor` or `prev_cursor` as `cursor`, with the same filters and sort.
   * @example
   * const admins = await client.users.list({ role: 'admin', sort_by: 'email', sort_order: 'asc' });
   * @throws {CatalogApiError} `forbidden` (403) for non-admins, `validation_failed` (422) for a bad query,
   * `invalid_cursor` (400) for a cursor of another query.
   */
  list(query: UserListQuery = {}, options: RequestOptions = {}): Promise<Page<User>> {
    return this.#client.send<Page<User>>({
      ...options,
      method: 'GET',
      path: '/users',
      query: query as Record<string, QueryValue>,
    });
  }

  /**
   * Changes a user's role or disables / re-enables the account (`PATCH /users/{id}`, admin).
   * Disabling refuses the user's tokens at once and signs out every session.
   * @example
   * await client.users.update(user.id, { disabled: true });
   * @throws {CatalogApiError} `forbidden` (403) for non-admins or an admin disabling itself, `not_found` (404),
   * `validation_failed` (422).
   */
  update(id: string, patch: UserPatch, options: RequestOptions = {}): Promise<User> {
    return this.#client.send<User>({
      ...options,
      method: 'PATCH',
      path: `/users/${encodeURIComponent(id)}`,
      json: patch,
    });
  }
}
