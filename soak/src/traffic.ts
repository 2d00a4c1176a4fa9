import autocannon from 'autocannon';

/** What the mixed traffic is built from. */
export interface TrafficSpec {
  url: string;
  seconds: number;
  connections: number;
  userToken: string;
  adminToken: string;
  /** Ids of existing products for gets and patches (never deleted). */
  ids: string[];
  /** Other ids, each deleted once and then restored (so no delete meets a deleted product). */
  deletable: string[];
  /** An admin email and password: some logins are part of the mix (and meet the per-IP limit). */
  login: { email: string; password: string };
}

const LIST_QUERIES = [
  '/products?limit=20',
  '/products?sort_by=price&sort_order=asc&limit=50',
  '/products?sort_by=rating&limit=20&min_rating=3',
  '/products?category=kitchen&sort_by=name&limit=20',
  '/products?search=kettle&limit=20',
  '/products?min_price=10&max_price=50&limit=100',
];

type Step = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  admin?: boolean;
  body?: unknown;
  auth?: boolean;
};

/**
 * One request of the mix, chosen in a fixed rotation of 20: 12 list/search pages, 3 gets by id, 1
 * dashboard, 1 create, 1 patch, 1 delete or restore, 1 login. Writes are admin calls.
 */
function stepFor(n: number, spec: TrafficSpec): Step {
  const id = spec.ids[(n * 7919) % spec.ids.length]!;
  switch (n % 20) {
    case 12:
    case 13:
    case 14:
      return { method: 'GET', path: `/products/${id}` };
    case 15:
      return { method: 'GET', path: '/dashboard/summary' };
    case 16:
      return {
        method: 'POST',
        path: '/products',
        admin: true,
        body: { name: `Soak ${n}`, category: 'soak', price: (n % 1000) / 4, rating: (n % 50) / 10 },
      };
    case 17:
      return { method: 'PATCH', path: `/products/${id}`, admin: true, body: { price: (n % 997) / 4 } };
    case 18: {
      // Odd rounds delete the next fresh id; even rounds restore the one deleted a round before.
      const round = Math.floor(n / 20);
      const target = spec.deletable[Math.floor(round / 2) % spec.deletable.length]!;
      return round % 2 === 0
        ? { method: 'DELETE', path: `/products/${target}`, admin: true }
        : { method: 'POST', path: `/products/${target}/restore`, admin: true };
    }
    case 19:
      return { method: 'POST', path: '/auth/login', auth: false, body: spec.login };
    default:
      return { method: 'GET', path: LIST_QUERIES[n % LIST_QUERIES.length]! };
  }
}

/** Runs the mix for `seconds` over `connections` keep-alive connections. */
export function drive(spec: TrafficSpec): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const step = stepFor(n++, spec);
          request.method = step.method;
          request.path = step.path;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (step.auth !== false) headers.authorization = `Bearer ${step.admin ? spec.adminToken : spec.userToken}`;
          request.headers = headers;
          request.body = step.body === undefined ? '' : JSON.stringify(step.body);
          return request;
        },
      },
    ],
  });
}
