#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# HTTP benchmark: wrk against `cartflow serve` (durable embedded store) and, in the same run,
# against nginx serving the same response bytes from files (the ceiling for HTTP here).
#
#   bench/http_bench.sh CARTFLOW_BINARY OUT_DIR [SECONDS]     (SERVE_ARGS: extra `serve` flags, for A/B runs)
#   PERF_RECORD=cartflow_order bench/http_bench.sh ...        (also `perf record -g` of serve during
#                                                              that run: OUT_DIR/perf_<run>.data;
#                                                              PERF_CALL_GRAPH="--call-graph dwarf"
#                                                              unwinds what has no frame pointers)
#   PERF_EVENTS=context-switches,syscalls:sys_enter_futex ...  (more events counted by `perf stat`
#                                                              into OUT_DIR/http_<run>.perf)
#   HTTP_RUNS="cartflow_order" bench/http_bench.sh ...         (only the runs named; default all)
#
# Writes one JSON object per run to OUT_DIR/http_<name>.json (see bench/wrk_report.lua):
# nginx_product, nginx_products, cartflow_product, cartflow_products, cartflow_cart,
# cartflow_order. For each cartflow run, `perf stat` attached to the serve process during the
# run adds its CPU time and its fdatasync calls (`cpu_ms`, `fdatasync`) to that object, so the
# CPU per request covers the whole process (HTTP, handler, writer thread, pipeline). Everything runs in a temp folder, on free loopback ports, and is stopped on
# exit. Needs wrk, curl and nginx (scripts/bench.sh installs nginx when it is missing).
set -euo pipefail

cartflow=$(realpath "$1")
out=$(realpath -m "$2")
seconds=${3:-10}
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
export BENCH_DIR
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

work=$(mktemp -d /tmp/cartflow-http-bench.XXXXXX)
chmod 755 "$work"
serve_pid=""
nginx_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# run_wrk NAME URL SCRIPT [PID]: one wrk run, its JSON report to OUT_DIR/http_NAME.json; with
# PID, the CPU time and fdatasync calls of that process during the run are added to the report.
run_wrk() {
  local name=$1 url=$2 script=$3 pid=${4:-} perf_pid=""
  case " ${HTTP_RUNS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  echo "http: $name ($url, ${seconds}s, $threads threads, $connections connections)" >&2
  if [ -n "$pid" ] && command -v perf >/dev/null 2>&1; then
    perf stat -x, -e "task-clock,syscalls:sys_enter_fdatasync${PERF_EVENTS:+,$PERF_EVENTS}" -p "$pid" \
      -o "$out/http_$name.perf" &
    perf_pid=$!
    if [ "$name" = "${PERF_RECORD:-}" ]; then
      perf record -F 999 ${PERF_CALL_GRAPH:--g} -p "$pid" -o "$out/perf_$name.data" -- sleep "$seconds" \
        >/dev/null 2>&1 &
    fi
    sleep 0.2  # attached before the first request
  fi
  WRK_REPORT="$out/http_$name.json" wrk -t"$threads" -c"$connections" -d"${seconds}s" \
    --timeout 5s -s "$BENCH_DIR/$script" "$url" >"$out/http_$name.txt" 2>&1
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    python3 - "$out/http_$name.json" "$out/http_$name.perf" <<'PY'
import json, sys
report_path, perf_path = sys.argv[1], sys.argv[2]
report = json.loads(open(report_path).read().strip().splitlines()[-1])
for line in open(perf_path):
    f = line.strip().split(",")
    if len(f) > 2 and f[2] == "task-clock" and f[0] not in ("", "<not counted>"):
        report["cpu_ms"] = float(f[0])
    if len(f) > 2 and f[2].endswith("fdatasync") and f[0] not in ("", "<not counted>"):
        report["fdatasync"] = int(float(f[0]))
open(report_path, "w").write(json.dumps(report) + "\n")
PY
  fi
  cat "$out/http_$name.json" >&2
}

# --- cartflow: the catalog, a key without a practical rate limit, then serve ---
db="$work/c.db"
"$cartflow" catalog load --db "$db" >/dev/null
key=$("$cartflow" keys create --db "$db" --name bench --rate 1000000 --burst 1000000 | tail -n 1)
key=${key##* }
"$cartflow" serve --db "$db" --port 0 ${SERVE_ARGS:-} >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
base=""
for _ in $(seq 1 100); do
  base=$(sed -nE 's/^cartflow is serving on (http:[^ ]+).*/\1/p' "$work/serve.out" | head -n 1)
  [ -n "$base" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "http: cartflow serve did not start" >&2; exit 1; }

product_id=$(curl -sf -H "x-api-key: $key" "$base/products?limit=1" |
  sed -E 's/.*"productId":"([^"]+)".*/\1/')
[ -n "$product_id" ] || { echo "http: no product in the catalog" >&2; exit 1; }

# The same response bytes for nginx to serve.
mkdir -p "$work/www/products"
curl -sf -H "x-api-key: $key" "$base/products/$product_id" >"$work/www/products/$product_id"
curl -sf -H "x-api-key: $key" "$base/products" >"$work/www/products/index.json"
chmod -R a+rX "$work/www"

# --- nginx: a non-daemon master with one worker per core, temp config, no access log ---
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    default_type application/json;
    location = /products { try_files /products/index.json =404; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$nginx_port/products/$product_id" >/dev/null 2>&1 && break
  sleep 0.1
done
cmp -s <(curl -sf "http://127.0.0.1:$nginx_port/products/$product_id") \
  "$work/www/products/$product_id" || { echo "http: nginx does not serve the product" >&2; exit 1; }

run_wrk nginx_product "http://127.0.0.1:$nginx_port/products/$product_id" wrk_get.lua
run_wrk nginx_products "http://127.0.0.1:$nginx_port/products" wrk_get.lua
kill -TERM "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""

export WRK_API_KEY=$key WRK_PRODUCT_ID=$product_id
run_wrk cartflow_product "$base/products/$product_id" wrk_get.lua "$serve_pid"
run_wrk cartflow_products "$base/products" wrk_get.lua "$serve_pid"
run_wrk cartflow_cart "$base" wrk_cart.lua "$serve_pid"
run_wrk cartflow_order "$base" wrk_order.lua "$serve_pid"

# Sanity: the server survived the runs. Its metrics (group commit sizes, pipeline counters)
# stay beside the reports.
curl -sf "$base/health" >/dev/null || { echo "http: cartflow serve stopped answering" >&2; exit 1; }
curl -sf "$base/metrics" >"$out/metrics.txt" || true
echo "http: done" >&2
