/**
 * Whether the server lets visitors who are not signed in list products (`CATALOG_PUBLIC_READ`).
 * The page asks the API's own description, `/openapi.json`: there `GET /products` accepts an
 * empty security requirement exactly when anonymous reads are on. Asking `/products` itself
 * would answer a signed-out visitor with a 401, logged in the console as an error.
 * Any failure counts as "no": the visitor is asked to sign in.
 */
export async function anonymousReadsAllowed(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/openapi.json`, { headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    return productListIsPublic(await response.json());
  } catch {
    return false;
  }
}

function productListIsPublic(document: unknown): boolean {
  const operation = property(property(property(document, 'paths'), '/products'), 'get');
  const requirements = property(operation, 'security');
  return (
    Array.isArray(requirements) &&
    requirements.some((r: unknown) => typeof r === 'object' && r !== null && Object.keys(r).length === 0)
  );
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
