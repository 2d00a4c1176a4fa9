#!/usr/bin/env bash
# The cost the change feed adds to writes (issue 15): the same CSV import and the same
# POST /products load, run on the commit before the feed was merged and on this checkout,
# interleaved (before, now, before, now …) so that load from elsewhere hits both alike. SQLite.
#
#   bash bench/feed-cost.sh            # after `npm run bench -- --rows 1000000` seeded the 1M database
#   ROWS=100000 ROUNDS=3 bash bench/feed-cost.sh
#
# BEFORE (default: the first parent of the merge of the change feed) is checked out into a
# temporary git worktree sharing this checkout's node_modules (hard links); both run from sources.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BEFORE=${BEFORE:-9c4296d^1}
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-2}
DATASET=${DATASET:-$ROOT/bench/results/sqlite-1000000.db}
W=$(mktemp -d /tmp/catalog-feed-cost.XXXXXX)
export CATALOG_SECRET=feed-cost-secret-feed-cost-secret-0123 CATALOG_LOG_LEVEL=warn
export CATALOG_RATE_LIMIT_AUTH_PER_IP=0 CATALOG_RATE_LIMIT_LOGIN_FAILURES=0

cleanup() {
  pkill -f "$W/" 2>/dev/null || true
  git worktree remove --force "$W/before" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

git worktree add --detach "$W/before" "$BEFORE" >/dev/null
for d in node_modules packages/*/node_modules; do
  if [ -d "$d" ] && [ -d "$W/before/$(dirname "$d")" ]; then cp -al "$d" "$W/before/$d"; fi
done

cli() { local root=$1; shift; node --conditions=source --import tsx "$root/packages/cli/src/main.ts" "$@"; }
serve() { local root=$1; shift; exec node --conditions=source --import tsx "$root/packages/cli/src/main.ts" serve "$@"; }
fresh() { rm -f "$1" "$1-wal" "$1-shm"; cli "$2" --db "sqlite:$1" db migrate >/dev/null; }

cli "$ROOT" --db "sqlite:$DATASET" products export --format csv -o "$W/all.csv" >/dev/null
head -n $((ROWS + 1)) "$W/all.csv" >"$W/products.csv"

echo "before = $(git rev-parse --short "$BEFORE"), now = $(git rev-parse --short HEAD), $ROWS rows, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  for side in before now; do
    root=$ROOT
    [ "$side" = before ] && root=$W/before
    db=$W/$side.db
    fresh "$db" "$root"
    # The import's own time, as the command reports it (without the CLI's start-up).
    took=$(cli "$root" --db "sqlite:$db" products import "$W/products.csv" 2>&1 >/dev/null | grep -o 'in [0-9.]* s')
    echo "import $side: $took (load $(cut -d' ' -f1 /proc/loadavg))"

    fresh "$db" "$root"
    printf '%s' 'correct horse battery' |
      cli "$root" --db "sqlite:$db" users create --email a@example.com --role admin --password-stdin >/dev/null
    port=$((20000 + RANDOM % 2000))
    CATALOG_DATABASE_URL="sqlite:$db" serve "$root" --port "$port" >"$W/serve-$side.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do curl -sf "127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    token=$(curl -s "127.0.0.1:$port/auth/login" -H 'content-type: application/json' \
      -d '{"email":"a@example.com","password":"correct horse battery"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
    npx autocannon -c 10 -d 10 -m POST -H "authorization=Bearer $token" -H 'content-type=application/json' \
      -b '{"name":"Kettle","category":"Kitchen","price":20}' --json "http://127.0.0.1:$port/products" 2>/dev/null >"$W/ac.json"
    node -e 'const r = require(process.argv[1]);
      console.log(`POST /products ${process.argv[2]}: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`)' \
      "$W/ac.json" "$side"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
