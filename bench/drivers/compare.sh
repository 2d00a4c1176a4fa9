#!/bin/bash
# node-sqlite3 vs better-sqlite3 on the bench's 1M database: the first page alone, a name search
# alone, and the first page while five connections search (a long query beside short ones).
# Once:  mkdir -p /tmp/bs && (cd /tmp/bs && npm init -y >/dev/null && npm i -E better-sqlite3@12.11.1)
#        (builds from source, a few minutes; 13.x needs Node 22)
# Then:  bash bench/drivers/compare.sh   (after `npm run bench -- --rows 1000000` has seeded the database)

cd "$(dirname "$0")/.."
DB=${DB:-$PWD/results/sqlite-1000000.db}
ac() { npx autocannon -j -c $1 -d $2 "$3" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(`${r.requests.average} req/s p50 ${r.latency.p50} p99 ${r.latency.p99} mean ${r.latency.mean}`)})'; }
for d in sqlite3 better sqlite3 better; do
  DRIVER=$d DB=$DB PORT=18090 node --import tsx drivers/driver-server.ts & p=$!
  sleep 2; npx autocannon -c 10 -d 2 http://127.0.0.1:18090/first >/dev/null 2>&1
  echo "[$d] first alone:      $(ac 10 6 http://127.0.0.1:18090/first)"
  echo "[$d] search alone:     $(ac 10 6 http://127.0.0.1:18090/search)"
  (ac 5 6 http://127.0.0.1:18090/search > /tmp/catalog-mix-search.txt) & m=$!
  echo "[$d] first w/ search:  $(ac 10 6 http://127.0.0.1:18090/first)"
  wait $m; echo "[$d] search (mixed):   $(cat /tmp/catalog-mix-search.txt)"
  kill $p; wait $p 2>/dev/null
done
