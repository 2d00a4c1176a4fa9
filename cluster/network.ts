import { execFileSync } from 'node:child_process';

/*
 * Hosts as network namespaces: a bridge in the root namespace holds the "network" address
 * (where PostgreSQL listens), and each host is a namespace joined to it by a veth pair. All the
 * addresses are made here and removed with the namespaces.
 */

export const NETWORK = { bridge: 'catalog-br0', gateway: '10.213.0.1', prefix: 24 };

export interface Host {
  name: string;
  namespace: string;
  address: string;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the bridge and one namespace per host (`catalog-h1`, `10.213.0.11`, …). */
export function createNetwork(hostCount: number): Host[] {
  removeNetwork(hostCount);
  ip('link', 'add', NETWORK.bridge, 'type', 'bridge');
  ip('addr', 'add', `${NETWORK.gateway}/${NETWORK.prefix}`, 'dev', NETWORK.bridge);
  ip('link', 'set', NETWORK.bridge, 'up');
  const hosts: Host[] = [];
  for (let i = 1; i <= hostCount; i++) {
    const host = { name: `h${i}`, namespace: `catalog-h${i}`, address: `10.213.0.${10 + i}` };
    const outside = `catalog-v${i}`;
    ip('netns', 'add', host.namespace);
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace);
    ip('link', 'set', outside, 'master', NETWORK.bridge);
    ip('link', 'set', outside, 'up');
    ip('-n', host.namespace, 'addr', 'add', `${host.address}/${NETWORK.prefix}`, 'dev', 'eth0');
    ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
    ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
    hosts.push(host);
  }
  return hosts;
}

/** Removes what createNetwork made (whatever of it exists); never throws. */
export function removeNetwork(hostCount: number): void {
  for (let i = 1; i <= hostCount; i++) {
    // Deleting the namespace deletes its end of the veth, and so the pair.
    try {
      ip('netns', 'del', `catalog-h${i}`);
    } catch {
      // not there
    }
    try {
      ip('link', 'del', `catalog-v${i}`);
    } catch {
      // gone with its namespace
    }
  }
  try {
    ip('link', 'del', NETWORK.bridge);
  } catch {
    // not there
  }
}
