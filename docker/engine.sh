#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: starts dockerd in the background when
# none runs, then waits for the socket. vfs is the storage driver that works without overlay mounts
# inside a VM like CI's; no bridge and no iptables rules, so the engine leaves the host's network
# alone and containers and builds use the host's network (--network host).
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null; then
  echo "docker/engine.sh: dockerd not found (apt-get install docker.io)" >&2
  exit 1
fi

log=/var/log/dockerd.log
echo "starting dockerd (log: $log)"
nohup dockerd --storage-driver=vfs --bridge=none --iptables=false --ip6tables=false >"$log" 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "docker/engine.sh: dockerd did not answer within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2
exit 1
