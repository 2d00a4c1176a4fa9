import { pageSchema, ProductSchema, TokenResponseSchema, type Product } from '@catalog/contract';

const ProductPageSchema = pageSchema(ProductSchema);

/** The HTTP calls the checks make against a container, each response parsed with the contract's schemas. */
export class Api {
  constructor(readonly url: string) {}

  async status(path: string): Promise<number> {
    const response = await fetch(`${this.url}${path}`);
    await response.body?.cancel();
    return response.status;
  }

  async login(email: string, password: string): Promise<string> {
    const body = await this.json('POST', '/auth/login', { email, password }, undefined, 200);
    return TokenResponseSchema.parse(body).access_token;
  }

  /** Registration hashes the password with the configured bcrypt cost: a request that takes a while. */
  async register(email: string, password: string): Promise<number> {
    const response = await fetch(`${this.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    await response.body?.cancel();
    return response.status;
  }

  async createProduct(token: string, input: { name: string; category: string; price: number }): Promise<Product> {
    return ProductSchema.parse(await this.json('POST', '/products', input, token, 201));
  }

  async getProduct(token: string, id: string): Promise<Product> {
    return ProductSchema.parse(await this.json('GET', `/products/${id}`, undefined, token, 200));
  }

  async listProducts(token: string, query: Record<string, string>) {
    const search = new URLSearchParams(query).toString();
    return ProductPageSchema.parse(await this.json('GET', `/products?${search}`, undefined, token, 200));
  }

  private async json(method: string, path: string, body: unknown, token: string | undefined, expected: number) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    if (response.status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${response.status}: ${text}`);
    }
    return JSON.parse(text) as unknown;
  }
}
