import type { Host } from './network.js';

/**
 * The load balancer: round robin over the hosts, each health-checked on GET /readyz every 500 ms
 * (down after 2 failures, up after 2 successes). A connection refused by a dead host is retried
 * on another (`retry-on conn-failure` + `redispatch`): such a request never reached a server.
 * `X-Served-By` names the host that answered, for the harness. `port` fronts every host,
 * `port + 1` the first host alone (the one-host throughput figure).
 */
export function haproxyConfig(hosts: Host[], port: number): string {
  const servers = (list: Host[]) => list.map((h) => `  server ${h.name} ${h.address}:8000 check`).join('\n');
  const backend = (name: string, list: Host[]) => `backend ${name}
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
  retry-on conn-failure
  option redispatch 1
  http-response set-header X-Served-By %[srv_name]
${servers(list)}
`;
  return `global
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  retries 2
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 10m

frontend all
  bind 127.0.0.1:${port}
  option forwardfor
  default_backend catalog

frontend one
  bind 127.0.0.1:${port + 1}
  option forwardfor
  default_backend catalog_one

${backend('catalog', hosts)}
${backend('catalog_one', hosts.slice(0, 1))}`;
}
