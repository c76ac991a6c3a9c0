#!/usr/bin/env bash
# Benchmark: `stacks-runner synth` of all three stacks as a whole process, against the blueprint's
# `cdk synth` of the same three stacks (about 16 s wall and 770 MiB peak memory on a 2-core
# machine, median of 5, as measured for the foundation issue).
#
#   bench/synth.sh [BINARY]    default BINARY: build/stacks-runner (built by ./run build)
#
# Wall time: hyperfine, 10 warm-up runs then 200 runs. Peak memory: the maximum resident set size
# reported by GNU time over 20 runs (median). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/build/stacks-runner}
env_file=$root/sample-configs/mainnet-follower.env
baseline_wall_ms=16000
baseline_rss_mib=770

for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || {
    echo "bench: $tool is missing (apt-get install hyperfine time python3)" >&2
    exit 1
  }
done
[ -x "$bin" ] || {
  echo "bench: $bin is not built; run ./run build" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hyperfine --style none --shell=none --warmup 10 --runs 200 --export-json "$work/wall.json" \
  "'$bin' synth --env '$env_file' --out '$work/out'" >/dev/null

for _ in $(seq 20); do
  /usr/bin/time -f '%M' -o "$work/rss.one" "$bin" synth --env "$env_file" --out "$work/out" >/dev/null
  cat "$work/rss.one" >>"$work/rss.txt"
done

python3 - "$work/wall.json" "$work/rss.txt" "$baseline_wall_ms" "$baseline_rss_mib" <<'EOF'
import json, statistics, sys
wall = json.load(open(sys.argv[1]))["results"][0]
rss_kib = sorted(int(x) for x in open(sys.argv[2]).read().split())
base_ms, base_mib = float(sys.argv[3]), float(sys.argv[4])
median_ms = wall["median"] * 1000
mean_ms, stddev_ms = wall["mean"] * 1000, wall["stddev"] * 1000
rss_mib = statistics.median(rss_kib) / 1024
print("| measure | stacks-runner synth | blueprint cdk synth | ratio |")
print("|---|---|---|---|")
print(f"| wall time, median of {len(wall['times'])} | {median_ms:.1f} ms (mean {mean_ms:.1f} ± {stddev_ms:.1f}) "
      f"| {base_ms/1000:.0f} s | {base_ms/median_ms:,.0f}x faster |")
print(f"| peak memory (max RSS), median of {len(rss_kib)} | {rss_mib:.1f} MiB | {base_mib:.0f} MiB "
      f"| {base_mib/rss_mib:,.0f}x smaller |")
EOF
