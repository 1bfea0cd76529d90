#!/usr/bin/env bash
# End to end on Kestrel over loopback with wrk: server CPU microseconds per request of GET /v1/token/roles.
#
#   benchmarks/scripts/e2e.sh                      # defaults: about 18 minutes on a quiet machine, build included
#   ROUNDS=2 DURATION=3 WARMUP=1 INITIAL_WARMUP=2 JWT_TOKENS=2000 OPAQUE_TOKENS=300 benchmarks/scripts/e2e.sh   # a quick check
#
# Hosts (HOSTS, space-separated, default all; the benchmarks/RxInfer.Benchmarks.Hosts executable for all of them):
#   bare             the endpoint with no authentication: the floor
#   jwtbearer        the stock AddJwtBearer handler validating the same HS256 JWTs (same key, issuer, audience, typ)
#   sample-jwt-miss  the sample host in JWT mode (HS256, same key), wrk rotating through JWT_TOKENS distinct tokens
#                    (default 20,000: twice the validated-token cache's default size; about 0.6 of the requests
#                    are first sights, the rest hits of tokens the eviction kept); the cache misses are counted
#                    (rxinfer.auth.jwt.cache_misses) and reported per request
#   sample-jwt-hit   the sample host in JWT mode with one repeated token (the cache hit)
#   sample-jwtbearer the sample host with the stock AddJwtBearer handler in place of ours (its default scheme and the
#                    scheme of its /v1 endpoints), rotating through JWT_TOKENS tokens: the stock handler in the sample's
#                    pipeline (CORS, status pages, exception handler, ...), beside sample-jwt-miss (not in the default HOSTS)
#   scheme-jwt-miss  the stock host's pipeline with our scheme (AddRxInferAuthentication, our JWT provider, same key) in
#                    place of AddJwtBearer, rotating through JWT_TOKENS tokens: the scheme's cost without the rest of the
#                    sample's pipeline (CORS, rate limiter, exception handler, ...); misses counted as for the sample
#   scheme-jwt-hit   the same with one repeated token
#   scheme-jwt-nocache  the same scheme with the validated-token cache off (CacheSize 0), rotating through JWT_TOKENS
#                    tokens: every request a first sight with no cache insert or eviction (not in the default HOSTS);
#                    beside scheme-jwt-miss it shows what keeping the cache costs end to end
#   sample-opaque-memory      the sample host with opaque tokens in memory, rotating through OPAQUE_TOKENS tokens
#   sample-opaque-postgresql  the same on PostgreSQL (a throwaway cluster started here, removed at the end)
# The bare and stock hosts get the rotating JWTs too (ignored by the bare host), so every request has the same size.
#
# Each server is pinned to core SERVER_CPU (0), wrk to core CLIENT_CPU (1); PostgreSQL runs on the server's core.
# Rounds are interleaved: every round measures every host once, in an order rotated by one per round; each
# measurement is a warm-up run of wrk (WARMUP seconds) and a measured run (DURATION seconds). The server's CPU is
# utime+stime from /proc/<pid>/stat over the measured run, divided by the requests wrk completed. Any non-2xx
# response or socket error is reported beside the figures.
#
# Before round 1 every host gets one longer warm-up run (INITIAL_WARMUP seconds), so tiered compilation has
# promoted the hot code before anything is measured. The sample host, alone on its core under load, took about 45 s
# to settle (successive 8 s windows: 214, 181, 172, 97, 61, 50, 49 us per request), so the default is 60 s.
# Settings (environment): ROUNDS (5), DURATION (10 s), WARMUP (3 s), INITIAL_WARMUP (60 s), CONNECTIONS (32), THREADS (wrk threads, 2),
# JWT_TOKENS (20000), OPAQUE_TOKENS (20000), HOSTS, OUT (result folder, default /tmp/rxinfer-e2e-<time>),
# SERVER_CPU (0), CLIENT_CPU (1).
# Every host also reports its GC totals (GET /_bench/gc): bytes allocated, collections per generation and the GC
# pause, per request over the measured run, so a difference in CPU can be traced to allocation and collection.
# Output: OUT/raw.tsv (one line per measurement), OUT/summary.md (the table this script prints at the end, and a line of ratios of median overheads),
# OUT/logs/ (host logs, wrk outputs).
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
INITIAL_WARMUP=${INITIAL_WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
JWT_TOKENS=${JWT_TOKENS:-20000}
OPAQUE_TOKENS=${OPAQUE_TOKENS:-20000}
HOSTS=${HOSTS:-"bare jwtbearer scheme-jwt-miss scheme-jwt-hit sample-jwt-miss sample-jwt-hit sample-opaque-memory sample-opaque-postgresql"}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
OUT=${OUT:-/tmp/rxinfer-e2e-$(date -u +%Y%m%dT%H%M%SZ)}

repo=$(cd "$(dirname "$0")/../.." && pwd)
lua="$repo/benchmarks/scripts/rotate-tokens.lua"

fail() { echo "e2e.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || fail "wrk is missing: apt-get install -y wrk (Debian package)"
command -v taskset >/dev/null || fail "taskset is missing: apt-get install -y util-linux"
command -v curl >/dev/null || fail "curl is missing: apt-get install -y curl"
command -v python3 >/dev/null || fail "python3 is missing (it writes the summary): apt-get install -y python3"
[ "$(nproc --all)" -ge 2 ] || fail "two cores are needed (server on one, wrk on the other)"

mkdir -p "$OUT/logs" "$OUT/tokens"
bin="$OUT/bin"
clk_tck=$(getconf CLK_TCK)

# A benchmark-only HS256 key (never used anywhere else): the same for the stock host, the sample host and the minting.
export BENCH_JWT_SECRET BENCH_JWT_KID=bench-hs256 BENCH_JWT_ISSUER=rxinfer-sample BENCH_JWT_AUDIENCE=rxinfer-sample
BENCH_JWT_SECRET=$(printf 'rxinfer-e2e-benchmark-hs256-key-0123456789' | base64 -w0)

pids=()
pg_data=""
pg_bin=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_data" ]; then
    pg "$pg_bin/pg_ctl" stop -D "$pg_data" -w -m fast >/dev/null 2>&1 || true
    rm -rf "$(dirname "$pg_data")"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wants() { [[ " $HOSTS " == *" $1 "* ]]; }

echo "$(date -u +%T) building the hosts (Release) into $bin"
dotnet build -c Release "$repo/benchmarks/RxInfer.Benchmarks.Hosts" -o "$bin" > "$OUT/logs/build.log" 2>&1 \
  || fail "build failed, see $OUT/logs/build.log"
hosts_dll="$bin/RxInfer.Benchmarks.Hosts.dll"

# PostgreSQL: a throwaway cluster as the storage tests start it (initdb + pg_ctl on a free port; as the postgres
# system user under root, since PostgreSQL refuses to run as root).
pg_as=()
[ "$(id -u)" != 0 ] || pg_as=(runuser -u postgres --)
pg() { "${pg_as[@]}" "$@"; }
if wants sample-opaque-postgresql; then
  for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin=$candidate; break; fi
  done
  [ -n "$pg_bin" ] || fail "PostgreSQL's initdb and pg_ctl were not found: apt-get install -y postgresql (or leave sample-opaque-postgresql out of HOSTS)"
  pg_root=$(mktemp -d /tmp/rxinfer-e2e-pg.XXXXXX)
  pg_data="$pg_root/data"
  [ "$(id -u)" != 0 ] || chown postgres "$pg_root"
  pg_port=$(free_port)
  pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync > "$OUT/logs/initdb.log" 2>&1 \
    || fail "initdb failed, see $OUT/logs/initdb.log"
  taskset -c "$SERVER_CPU" "${pg_as[@]}" "$pg_bin/pg_ctl" start -D "$pg_data" -w -l "$pg_root/server.log" \
    -o "-p $pg_port -k $pg_root -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" > "$OUT/logs/pg_ctl.log" 2>&1 \
    || fail "PostgreSQL did not start, see $OUT/logs/pg_ctl.log and $pg_root/server.log"
  pg_postmaster=$(head -1 "$pg_data/postmaster.pid")
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
fi

declare -A port pid
start_host() { # name, then the arguments of the hosts executable (sample: its environment is set by the caller)
  local name=$1; shift
  ( cd "$bin" && exec taskset -c "$SERVER_CPU" env -u ConnectionStrings__RxInfer "${host_env[@]}" dotnet "$hosts_dll" "$@" ) \
    > "$OUT/logs/$name.log" 2>&1 &
  pid[$name]=$!
  pids+=("$!")
}
wait_ready() { # name
  local url="http://127.0.0.1:${port[$1]}/v1/token/roles"
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [ "$code" != 000 ] && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || fail "host $1 exited, see $OUT/logs/$1.log"
    sleep 0.2
  done
  fail "host $1 did not answer within 120 s, see $OUT/logs/$1.log"
}

sample_env=(Logging__LogLevel__Default=Warning RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE=0 DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production)
jwt_env=(RxInfer__Auth__Provider=Jwt RxInfer__Auth__Jwt__GenerateEphemeralKey=false RxInfer__Auth__Jwt__Issuer=$BENCH_JWT_ISSUER
  RxInfer__Auth__Jwt__Audience=$BENCH_JWT_AUDIENCE RxInfer__Auth__Jwt__Keys__0__KeyId=$BENCH_JWT_KID
  RxInfer__Auth__Jwt__Keys__0__Algorithm=HS256 RxInfer__Auth__Jwt__Keys__0__Secret=$BENCH_JWT_SECRET)
for name in $HOSTS; do
  port[$name]=$(free_port)
  host_env=(Logging__LogLevel__Default=Warning DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production)
  case $name in
    bare|jwtbearer) start_host "$name" "$name" "${port[$name]}" ;;
    scheme-jwt-miss|scheme-jwt-hit) start_host "$name" scheme "${port[$name]}" ;;
    scheme-jwt-nocache) start_host "$name" scheme "${port[$name]}" 0 ;;
    sample-jwt-miss|sample-jwt-hit) host_env=("${sample_env[@]}" "${jwt_env[@]}" RXINFER_SERVER_PORT="${port[$name]}"); start_host "$name" sample ;;
    sample-jwtbearer) host_env=("${sample_env[@]}" "${jwt_env[@]}" RXINFER_SERVER_PORT="${port[$name]}"); start_host "$name" sample-jwtbearer ;;
    sample-opaque-memory) host_env=("${sample_env[@]}" RXINFER_SERVER_PORT="${port[$name]}"); start_host "$name" sample ;;
    sample-opaque-postgresql) host_env=("${sample_env[@]}" RXINFER_SERVER_PORT="${port[$name]}" "ConnectionStrings__RxInfer=$pg_connection"); start_host "$name" sample ;;
    *) fail "unknown host '$name'" ;;
  esac
done
for name in $HOSTS; do wait_ready "$name"; done
echo "$(date -u +%T) hosts ready: $(for n in $HOSTS; do printf '%s=%s(pid %s) ' "$n" "${port[$n]}" "${pid[$n]}"; done)"

# Tokens, made before anything is measured: JWTs minted with the shared key; opaque tokens issued by each opaque host.
echo "$(date -u +%T) minting $JWT_TOKENS JWTs, issuing $OPAQUE_TOKENS opaque tokens per opaque host"
taskset -c "$CLIENT_CPU" dotnet "$hosts_dll" mint "$JWT_TOKENS" "$OUT/tokens/jwt.txt"
head -1 "$OUT/tokens/jwt.txt" > "$OUT/tokens/jwt-one.txt"
for name in sample-opaque-memory sample-opaque-postgresql; do
  if wants "$name"; then
    taskset -c "$CLIENT_CPU" dotnet "$hosts_dll" issue "http://127.0.0.1:${port[$name]}" "$OPAQUE_TOKENS" "$OUT/tokens/$name.txt"
  fi
done
tokens_of() {
  case $1 in
    sample-jwt-hit|scheme-jwt-hit) echo "$OUT/tokens/jwt-one.txt" ;;
    sample-opaque-*) echo "$OUT/tokens/$1.txt" ;;
    *) echo "$OUT/tokens/jwt.txt" ;;
  esac
}

# Every host answers the first token of its list with 200 {"roles":["user"]}, or nothing is measured.
for name in $HOSTS; do
  body=$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $(head -1 "$(tokens_of "$name")")" "http://127.0.0.1:${port[$name]}/v1/token/roles")
  [ "$body" = '{"roles":["user"]} 200' ] || fail "host $name answered '$body' instead of '{\"roles\":[\"user\"]} 200'"
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in clock ticks
pg_ticks() { # the cluster's processes (postmaster and its children) now; a process that ends in the window is lost
  [ -n "$pg_data" ] || { echo 0; return; }
  local total=0 p
  for p in "$pg_postmaster" $(pgrep -P "$pg_postmaster" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(cpu_ticks "$p")))
  done
  echo "$total"
}
misses() { curl -sf "http://127.0.0.1:${port[$1]}/_bench/jwt-cache-misses" || echo 0; }
gc_totals() { curl -sf "http://127.0.0.1:${port[$1]}/_bench/gc" || echo "0 0 0 0 0"; } # allocated bytes, gen0, gen1, gen2, pause us
run_wrk() { # name, seconds, output file
  TOKENS=$(tokens_of "$1") WRK_THREADS=$THREADS taskset -c "$CLIENT_CPU" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" -s "$lua" "http://127.0.0.1:${port[$1]}" > "$3" 2>&1
}

echo "$(date -u +%T) initial warm-up: ${INITIAL_WARMUP} s per host"
for name in $HOSTS; do run_wrk "$name" "$INITIAL_WARMUP" "$OUT/logs/wrk-initial-warmup-$name.txt"; done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'round\thost\trequests\tseconds\tnon2xx\tsocket_errors\tcpu_us_per_request\tdb_cpu_us_per_request\tjwt_cache_misses\tallocated_bytes_per_request\tgen0\tgen1\tgen2\tgc_pause_us_per_request\n' > "$OUT/raw.tsv"
read -r -a order <<< "$HOSTS"
for round in $(seq 1 "$ROUNDS"); do
  for name in "${order[@]}"; do
    run_wrk "$name" "$WARMUP" "$OUT/logs/wrk-warmup-$round-$name.txt"
    read -r -a gc_before <<< "$(gc_totals "$name")"
    misses_before=$(misses "$name"); db_before=$(pg_ticks); before=$(cpu_ticks "${pid[$name]}")
    run_wrk "$name" "$DURATION" "$OUT/logs/wrk-$round-$name.txt"
    after=$(cpu_ticks "${pid[$name]}"); db_after=$(pg_ticks); misses_after=$(misses "$name")
    read -r -a gc_after <<< "$(gc_totals "$name")"
    w="$OUT/logs/wrk-$round-$name.txt"
    requests=$(awk '/requests in/ { print $1 }' "$w")
    seconds=$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' "$w")
    non2xx=$(awk -F': ' '/Non-2xx/ { print $2 }' "$w"); non2xx=${non2xx:-0}
    socket=$(awk '/Socket errors/ { n = 0; for (i = 4; i <= NF; i += 2) { v = $i; sub(/,/, "", v); n += v } print n }' "$w"); socket=${socket:-0}
    [ -n "$requests" ] && [ "$requests" -gt 0 ] || fail "wrk completed no request against $name, see $w"
    us=$(python3 -c "print(f'{($after - $before) / $clk_tck * 1e6 / $requests:.2f}')")
    db_us=$(python3 -c "print(f'{($db_after - $db_before) / $clk_tck * 1e6 / $requests:.2f}')")
    [[ $name == sample-opaque-postgresql ]] || db_us=""
    miss=""
    [[ ( $name == sample-jwt-* || $name == scheme-jwt-* ) && $name != scheme-jwt-nocache ]] && miss=$((misses_after - misses_before)) # no cache, no counter
    alloc=$(( (gc_after[0] - gc_before[0]) / requests ))
    pause=$(python3 -c "print(f'{(${gc_after[4]} - ${gc_before[4]}) / $requests:.2f}')")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$requests" "$seconds" "$non2xx" "$socket" "$us" "$db_us" "$miss" \
      "$alloc" $((gc_after[1] - gc_before[1])) $((gc_after[2] - gc_before[2])) $((gc_after[3] - gc_before[3])) "$pause" >> "$OUT/raw.tsv"
    echo "$(date -u +%T) round $round $name: $requests requests, ${us} us CPU/request${db_us:+, database ${db_us} us}${miss:+, $miss cache misses}, ${alloc} B allocated/request, GCs ${gc_after[1]}-${gc_before[1]}/${gc_after[2]}-${gc_before[2]}/${gc_after[3]}-${gc_before[3]} (gen0/1/2 totals), pause ${pause} us/request, non-2xx $non2xx, socket errors $socket"
  done
  order=("${order[@]:1}" "${order[0]}") # rotate the order for the next round
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$load_start" "$load_end" "$(git -C "$repo" rev-parse --short HEAD)" "$ROUNDS" "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$JWT_TOKENS" "$OPAQUE_TOKENS" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
out, load_start, load_end, commit, rounds, duration, warmup, connections, threads, jwt_tokens, opaque_tokens = sys.argv[1:]
rows = list(csv.DictReader(open(f"{out}/raw.tsv"), delimiter="\t"))
hosts = list(dict.fromkeys(r["host"] for r in rows))
by = {(r["round"], r["host"]): r for r in rows}
rounds_seen = sorted({r["round"] for r in rows}, key=int)

def med(values):
    return f"{statistics.median(values):,.1f} ({min(values):,.1f}-{max(values):,.1f})" if values else "-"

def overheads(host):
    return [float(by[(n, host)]["cpu_us_per_request"]) - float(by[(n, "bare")]["cpu_us_per_request"])
            for n in rounds_seen if (n, host) in by and (n, "bare") in by]

print(f"End to end, `GET /v1/token/roles` on Kestrel over loopback (commit {commit}): {rounds} interleaved rounds, "
      f"wrk {threads} threads / {connections} connections, {warmup} s warm-up + {duration} s measured per host and round; "
      f"{jwt_tokens} rotating JWTs, {opaque_tokens} opaque tokens; load average at start {load_start}, at end {load_end}.")
print()
print("Server CPU per request (utime+stime of the host process over the measured run / requests completed); "
      "median (min-max) over the rounds. Overhead: the host's figure minus the bare host's in the same round. "
      "Ratio: the host's overhead over the stock JwtBearer host's overhead in the same round.")
print()
print("| host | requests/s | CPU us/request | overhead above bare, us | overhead / stock's overhead | database CPU us/request | JWT cache misses per request | allocated B/request | gen0/gen1/gen2 GCs per 10,000 requests | GC pause us/request | non-2xx | socket errors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for host in hosts:
    mine = [r for r in rows if r["host"] == host]
    cpu = [float(r["cpu_us_per_request"]) for r in mine]
    rps = [int(r["requests"]) / float(r["seconds"]) for r in mine]
    over = overheads(host) if host != "bare" and "bare" in hosts else []
    ratio = []
    if host not in ("bare", "jwtbearer") and "jwtbearer" in hosts and "bare" in hosts:
        for n in rounds_seen:
            if (n, host) in by and (n, "bare") in by and (n, "jwtbearer") in by:
                stock = float(by[(n, "jwtbearer")]["cpu_us_per_request"]) - float(by[(n, "bare")]["cpu_us_per_request"])
                mine_over = float(by[(n, host)]["cpu_us_per_request"]) - float(by[(n, "bare")]["cpu_us_per_request"])
                ratio.append(mine_over / stock if stock > 0 else float("nan"))
    db = [float(r["db_cpu_us_per_request"]) for r in mine if r["db_cpu_us_per_request"]]
    miss = [int(r["jwt_cache_misses"]) / int(r["requests"]) for r in mine if r["jwt_cache_misses"]]
    ratio_text = f"{statistics.median(ratio):.2f} ({min(ratio):.2f}-{max(ratio):.2f})" if ratio else "-"
    miss_text = f"{statistics.median(miss):.3f} ({min(miss):.3f}-{max(miss):.3f})" if miss else "-"
    alloc = [float(r["allocated_bytes_per_request"]) for r in mine]
    pause = [float(r["gc_pause_us_per_request"]) for r in mine]
    per10k = lambda g: statistics.median(int(r[g]) * 10000 / int(r["requests"]) for r in mine)
    gcs = f"{per10k('gen0'):.1f} / {per10k('gen1'):.1f} / {per10k('gen2'):.2f}"
    print(f"| {host} | {statistics.median(rps):,.0f} | {med(cpu)} | {med(over) if over else '-'} | {ratio_text} | {med(db) if db else '-'} "
          f"| {miss_text} | {statistics.median(alloc):,.0f} | {gcs} (medians) | {med(pause)} | {sum(int(r['non2xx']) for r in mine)} | {sum(int(r['socket_errors']) for r in mine)} |")
others = [h for h in hosts if h not in ("bare", "jwtbearer")]
stock = statistics.median(overheads("jwtbearer")) if "jwtbearer" in hosts and "bare" in hosts else 0
if stock > 0 and others:
    print()
    print("The same, as the median overhead over the stock host's median overhead (less sensitive to one noisy round, "
          "blind to drift between rounds): " + "; ".join(f"{h} {statistics.median(overheads(h)) / stock:.2f}" for h in others) + ".")
PY
echo "raw figures: $OUT/raw.tsv; summary: $OUT/summary.md"
