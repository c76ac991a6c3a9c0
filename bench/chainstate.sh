#!/usr/bin/env bash
# Benchmark: `stacks-runner node fetch-chainstate` against the blueprint's
# `wget -q URL -O file && tar -xf file -C dir` and against `curl URL | tar -x`, restoring a
# generated chainstate archive served by nginx on 127.0.0.1 (issue 6).
#
#   bench/chainstate.sh [BINARY]    default BINARY: build/stacks-runner (built by ./run build)
#
# The archive: bench/chainstate/gen_tree.py writes a mainnet/ tree of sqlite-like pages, a few
# thousand small block files and one large marf.sqlite.blobs (SIZE_MIB, default 3584 MiB, about
# 3.3x compressible), packed as .tar.zst (zstd -3) and .tar.gz (gzip -6) under $WORK (default
# /tmp/stacks-runner-bench-chainstate, kept for reruns; not in git).
#
# Conditions: nginx unthrottled, and nginx with a per-connection `limit_rate` chosen so that one
# stream downloads the .tar.zst 2.5x slower than the archive extracts locally (as on EC2 against a
# CDN); the .tar.gz uses the same rate. For each format and condition: the limit (tar -xf of a
# local copy), the download alone to /dev/null (curl), wget+tar, curl|tar, ours (--no-sync: like
# the others, without waiting for the data to reach the disk) and ours as shipped (syncfs before
# the ready marker). Wall time: median of RUNS (default 3) runs, each after a `sync`. Peak disk:
# the largest `du` of everything the method wrote, sampled every 0.2 s and at the end.
#
# OTHER_BINARY=path adds one run of another build of ours per condition (to compare builds).
#
# Prints a Markdown table for docs/benchmarks.md and whether each goal of issue 6 is met.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$(realpath "${1:-$root/build/stacks-runner}")
size_mib=${SIZE_MIB:-3584}
runs=${RUNS:-3}
work=${WORK:-/tmp/stacks-runner-bench-chainstate}
name=mainnet-stacks-blockchain-4.0.2-latest

# shellcheck source=scripts/deps.sh
source "$root/scripts/deps.sh"
deps__apt nginx-light zstd wget curl gzip python3
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$bin" ] || {
  echo "bench: $bin is not built; run ./run build" >&2
  exit 1
}

www=$work/www/mainnet/stacks-blockchain
if [ "$(cat "$work/stamp" 2>/dev/null)" != "$size_mib" ]; then
  echo "bench: generating a $size_mib MiB chainstate and its archives in $work" >&2
  rm -rf "$work"
  mkdir -p "$www" "$work/tree"
  python3 "$root/bench/chainstate/gen_tree.py" "$work/tree" "$size_mib"
  tar -C "$work/tree" -cf - mainnet | zstd -3 -T2 -q -o "$www/$name.tar.zst"
  tar -C "$work/tree" -cf - mainnet | gzip -6 >"$www/$name.tar.gz"
  for ext in tar.zst tar.gz; do
    (cd "$www" && sha256sum "$name.$ext" >"$name.$ext.sha256")
  done
  du -s -B1 "$work/tree" | cut -f1 >"$work/tree-bytes"
  rm -rf "$work/tree"
  echo "$size_mib" >"$work/stamp"
fi
chmod -R a+rX "$work/www"

run_dir=$(mktemp -d)
nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$run_dir"
}
trap cleanup EXIT
out=$run_dir/out
results=$run_dir/results.txt
: >"$results"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# measure METHOD CONDITION FORMAT COMMAND: RUNS timed runs of COMMAND (bash -c) writing under
# $out; records "METHOD CONDITION FORMAT seconds peak_bytes" per run.
measure() {
  local method=$1 condition=$2 format=$3 command=$4 start end peak sampler
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    mkdir -p "$out/x" "$out/dl" "$out/root/etc/stacks-runner" "$out/root/var/lib/stacks-runner"
    printf 'STACKS_NETWORK=mainnet\n' >"$out/root/etc/stacks-runner/node.env"
    printf '4.0.2\n' >"$out/root/var/lib/stacks-runner/installed-version"
    sync
    (while :; do du -s -B1 "$out" 2>/dev/null | cut -f1; sleep 0.2; done) >"$run_dir/samples" &
    sampler=$!
    start=$(date +%s.%N)
    if ! bash -c "$command" >"$run_dir/cmd.log" 2>&1; then
      kill "$sampler"
      echo "bench: $method ($condition, $format) failed:" >&2
      tail -5 "$run_dir/cmd.log" >&2
      exit 1
    fi
    end=$(date +%s.%N)
    kill "$sampler"
    wait "$sampler" 2>/dev/null || true
    du -s -B1 "$out" | cut -f1 >>"$run_dir/samples"
    peak=$(sort -n "$run_dir/samples" | tail -1)
    echo "$method $condition $format $(awk "BEGIN { print $end - $start }") $peak" | tee -a "$results" >&2
  done
  rm -rf "$out"
}

tree=mainnet/chainstate/vm/clarity/marf.sqlite.blobs
check_x='&& test -s "'$out'/x/'$tree'"'
check_ours='&& test -s "'$out'/root/var/lib/stacks/node/'$tree'"'

# The limit first: it sets the capped rate.
for format in zst gz; do
  measure limit local "$format" "tar -xf '$www/$name.tar.$format' -C '$out/x' $check_x"
done
rate=$(python3 - "$results" "$(stat -c %s "$www/$name.tar.zst")" <<'PY'
import statistics, sys
t = statistics.median(float(l.split()[3]) for l in open(sys.argv[1]) if l.startswith("limit local zst"))
print(int(int(sys.argv[2]) / (2.5 * t)))
PY
)
echo "bench: capped at $rate bytes/s per connection" >&2

fast_port=$(free_port)
capped_port=$(free_port)
mkdir -p "$run_dir/nginx/logs"
cat >"$run_dir/nginx/nginx.conf" <<CONF
daemon off;
user root;
worker_processes auto;
pid $run_dir/nginx/nginx.pid;
error_log $run_dir/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$fast_port; root $work/www; }
  server { listen 127.0.0.1:$capped_port; root $work/www; limit_rate $rate; }
}
CONF
"$nginx" -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$fast_port/mainnet/stacks-blockchain/$name.tar.zst.sha256" && break; sleep 0.1; done

for format in zst gz; do
  zflag=--zstd
  [ "$format" = gz ] && zflag=-z
  for condition in unthrottled capped; do
    port=$fast_port
    [ "$condition" = capped ] && port=$capped_port
    url=http://127.0.0.1:$port/mainnet/stacks-blockchain/$name.tar.$format
    runs_saved=$runs
    [ "$condition" = capped ] && runs=1  # rate-limited: one run is exact enough
    measure download "$condition" "$format" "curl -sf '$url' -o /dev/null"
    runs=$runs_saved
    measure wget+tar "$condition" "$format" \
      "wget -q '$url' -O '$out/dl/a.tar.$format' && tar -xf '$out/dl/a.tar.$format' -C '$out/x' $check_x"
    measure "curl|tar" "$condition" "$format" "curl -sf '$url' | tar -x $zflag -C '$out/x' $check_x"
    measure ours "$condition" "$format" \
      "'$bin' node fetch-chainstate --root '$out/root' --url '$url' --no-sync $check_ours"
    runs_saved=$runs
    runs=1
    measure ours+syncfs "$condition" "$format" \
      "'$bin' node fetch-chainstate --root '$out/root' --url '$url' $check_ours"
    if [ -n "${OTHER_BINARY:-}" ]; then  # another build to compare, one run
      measure ours-other "$condition" "$format" \
        "'$OTHER_BINARY' node fetch-chainstate --root '$out/root' --url '$url' --no-sync $check_ours"
    fi
    runs=$runs_saved
  done
done

python3 - "$results" "$rate" "$(stat -c %s "$www/$name.tar.zst")" "$(stat -c %s "$www/$name.tar.gz")" \
  "$(cat "$work/tree-bytes")" "$(nproc)" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m, c, f, t, p = line.split()
    rows[(m, c, f)].append((float(t), int(p)))
rate, zst, gz, tree, cpus = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
MB = 1e6
def med(k): return statistics.median(t for t, _ in rows[k])
def peak(k): return max(p for _, p in rows[k])
print(f"Archive: {zst/MB:.0f} MB .tar.zst, {gz/MB:.0f} MB .tar.gz, {tree/MB:.0f} MB extracted; "
      f"capped = nginx limit_rate {rate/MB:.1f} MB/s per connection; {cpus} CPUs.\n")
print("| format | condition | method | wall (median) | runs | peak disk | vs limit | vs wget+tar | vs curl\\|tar |")
print("|---|---|---|---|---|---|---|---|---|")
goals = []
for f in ("zst", "gz"):
    limit = med(("limit", "local", f))
    print(f"| .tar.{f} | local | limit: tar -xf local copy | {limit:.1f} s | {len(rows[('limit','local',f)])} "
          f"| {peak(('limit','local',f))/MB:,.0f} MB | 1.00x | | |")
    for c in ("unthrottled", "capped"):
        w, ct = med(("wget+tar", c, f)), med(("curl|tar", c, f))
        for m in ("download", "wget+tar", "curl|tar", "ours", "ours+syncfs", "ours-other"):
            k = (m, c, f)
            if k not in rows: continue
            t = med(k)
            label = {"download": "download only (curl > /dev/null)", "curl|tar": "curl \\| tar -x",
                     "ours": "ours (--no-sync)", "ours+syncfs": "ours, as shipped (syncfs)",
                     "ours-other": "ours, OTHER_BINARY (--no-sync)"}.get(m, m)
            print(f"| .tar.{f} | {c} | {label} | {t:.1f} s | {len(rows[k])} | {peak(k)/MB:,.0f} MB "
                  f"| {t/limit:.2f}x | {t/w:.2f}x | {t/ct:.2f}x |")
        ours = med(("ours", c, f))
        goals.append((f".tar.{f} {c}: within 15 % of the limit", ours <= 1.15 * limit, f"{ours/limit:.2f}x"))
        if c == "capped":
            goals.append((f".tar.{f} capped: at most 0.35x of wget+tar", ours <= 0.35 * w, f"{ours/w:.2f}x"))
            goals.append((f".tar.{f} capped: at least 2x faster than curl|tar", ours * 2 <= ct, f"{ct/ours:.2f}x faster"))
        goals.append((f".tar.{f} {c}: peak disk only the extracted tree", peak(("ours", c, f)) <= 1.01 * peak(("limit", "local", f)),
                      f"{peak(('ours', c, f))/MB:,.0f} MB vs {peak(('limit','local',f))/MB:,.0f} MB"))
print("\n| goal | met | measured |\n|---|---|---|")
for g, ok, v in goals:
    print(f"| {g} | {'yes' if ok else '**no**'} | {v} |")
PY
