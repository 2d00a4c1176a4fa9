#!/usr/bin/env bash
# Makes the base image the Dockerfile starts FROM (node:20-bookworm-slim) on a machine that reaches
# Debian's apt mirror but no image registry: a minimal Debian bookworm from debootstrap, this
# machine's Node.js 20 and npm copied in where the official image has them (/usr/local), the `node`
# user (uid 1000) and the official image's entrypoint, then `docker import` under the Dockerfile's
# name. Does nothing when an image of that name exists (a real pull, or an earlier run).
set -euo pipefail
cd "$(dirname "$0")/.."

tag="$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)"
if docker image inspect "$tag" >/dev/null 2>&1; then
  exit 0
fi

node_bin="$(readlink -f "$(command -v node)")"
node_version="$(node --version)"
case "$node_version" in
  v20.*) ;;
  *) echo "docker/base-image.sh: $tag needs Node.js 20, this machine has $node_version" >&2; exit 1 ;;
esac
node_prefix="$(dirname "$(dirname "$node_bin")")"
npm_dir="$node_prefix/lib/node_modules/npm"
[ -d "$npm_dir" ] || { echo "docker/base-image.sh: npm not found at $npm_dir" >&2; exit 1; }
headers="$node_prefix/include/node"
[ -f "$headers/node_api.h" ] || { echo "docker/base-image.sh: Node.js headers not found at $headers" >&2; exit 1; }
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

root="$(mktemp -d /var/tmp/catalog-base.XXXXXX)"
# mktemp makes the directory 0700; it becomes the image's /, which every user must traverse.
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT

echo "== base image $tag: debootstrap bookworm (minbase) from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -n 30 "$root.debootstrap.log" >&2
  exit 1
}
rm -f "$root.debootstrap.log"

# Like Debian's slim images: no manuals, docs or translations, now or from later apt installs.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -f "$root/etc/apt/sources.list"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb

echo "== base image $tag: Node.js $node_version and npm $(npm --version) from this machine"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
# Headers as in the official image: node-gyp compiles native modules against them without
# downloading them (no prebuilt binary can be fetched where only npm's registry is reachable).
cp -a "$headers" "$root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
mkdir -p "$root/usr/local/etc"
printf "nodedir=/usr/local\nupdate-notifier=false\n" >"$root/usr/local/etc/npmrc"
cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
set -e
# Run the command with node when the first argument is a flag or not a command (as the official image does).
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
ENTRY
chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"

# This machine's extra certificate authorities (an egress proxy re-signs TLS): npm inside a build
# reaches the registry through it only if Node.js trusts them.
extra_env=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  cat /usr/local/share/ca-certificates/*.crt >"$root/usr/local/share/ca-certificates/host-extra-cas.pem"
  extra_env=(--change "ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-extra-cas.pem")
fi

chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

echo "== base image $tag: docker import"
tar -C "$root" --numeric-owner -c . | docker import \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  "${extra_env[@]}" \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  --change 'CMD ["node"]' \
  --message "local stand-in for $tag: debootstrap minbase bookworm + Node.js $node_version" \
  - "$tag" >/dev/null
docker image ls "$tag"
