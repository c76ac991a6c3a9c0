#!/usr/bin/env bash
# Benchmark: the node agent's CPU time and memory per observation cycle, against the blueprint's
# cron job (bench/agent-blueprint-syncchecker.sh: curl + jq + two `aws cloudwatch put-metric-data`),
# both against the same local fakes: the fake node of tests/agent/fake_node.py and the fake AWS
# (CloudWatch with signature checks, IMDSv2) of tests/fakeaws. Nothing leaves 127.0.0.1.
#
#   bench/agent.sh [BINARY]    default BINARY: build/stacks-runner (built by ./run build)
#
# Agent: `node agent` observing every 100 ms and publishing every 200 ms (the production ratio:
# 30 s and 60 s), RUNS runs of SECONDS seconds after a 3 s warm-up; CPU time (user + system, all
# threads, from /proc/PID/task/*/schedstat) and cycles (its /status) are read at the start and the
# end of the measured window; peak RSS is VmHWM. Blueprint: the script run RUNS times under GNU
# time (user + system of the script and every process it starts; peak RSS of the largest).
# Reports medians. Needs python3-botocore, awscli, curl, jq and GNU time (Debian packages).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/build/stacks-runner}
runs=${RUNS:-5}
seconds=${SECONDS_PER_RUN:-20}

for tool in python3 curl jq aws /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "bench: $tool is missing (apt-get install python3-botocore awscli curl jq time)" >&2
    exit 1
  }
done
[ -x "$bin" ] || {
  echo "bench: $bin is not built; run ./run build" >&2
  exit 1
}

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# port NAME FILE: the number after "NAME " in FILE, waiting for it to appear.
port() {
  local i
  for i in $(seq 100); do
    if grep -q "^$1 " "$2" 2>/dev/null; then
      grep "^$1 " "$2" | head -1 | cut -d' ' -f2
      return
    fi
    sleep 0.1
  done
  echo "bench: $2 never printed $1" >&2
  exit 1
}

python3 "$root/tests/agent/fake_node.py" >"$work/node.ports" &
pids+=($!)
python3 "$root/tests/fakeaws/server.py" --port 0 --imds-port 0 >"$work/aws.ports" &
pids+=($!)
node_port=$(port NODE_PORT "$work/node.ports")
reference_port=$(port REFERENCE_PORT "$work/node.ports")
bitcoind_port=$(port BITCOIND_PORT "$work/node.ports")
aws_port=$(port PORT "$work/aws.ports")
imds_port=$(port IMDS_PORT "$work/aws.ports")

cat >"$work/node.env" <<EOF
STACKS_RPC_PORT=$node_port
BITCOIN_PEER_HOST=127.0.0.1
BITCOIN_RPC_PORT=$bitcoind_port
BITCOIN_RPC_USERNAME=agent
STACKS_REFERENCE_NODE=http://127.0.0.1:$reference_port
EOF
printf 'not-a-real-password\n' >"$work/btc-password"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# CPU nanoseconds of every thread of PID.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {print s}'; }
observations() { curl -s "http://127.0.0.1:$1/status" | jq '.observations'; }

agent_cpu_ms=()
agent_rss_kib=()
for run in $(seq "$runs"); do
  env -i PATH=/usr/bin:/bin HOME="$work" AWS_ENDPOINT_URL="http://127.0.0.1:$aws_port" \
    AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$imds_port" \
    "$bin" node agent --settings "$work/node.env" --listen 127.0.0.1:0 --interval 0.1 \
    --publish-interval 0.2 --bitcoin-rpc-password-file "$work/btc-password" \
    --data-path "$work" 2>"$work/agent-$run.log" &
  pid=$!
  agent_port=$(for i in $(seq 100); do
    p=$(grep -o 'on 127.0.0.1:[0-9]*' "$work/agent-$run.log" | head -1 | cut -d: -f2)
    [ -n "$p" ] && echo "$p" && break
    sleep 0.1
  done)
  sleep 3
  cpu0=$(cpu_ns "$pid")
  obs0=$(observations "$agent_port")
  sleep "$seconds"
  cpu1=$(cpu_ns "$pid")
  obs1=$(observations "$agent_port")
  rss=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status)
  kill -TERM "$pid"
  wait "$pid"
  cycles=$((obs1 - obs0))
  agent_cpu_ms+=("$(awk -v c="$((cpu1 - cpu0))" -v n="$cycles" 'BEGIN {printf "%.4f", c / n / 1e6}')")
  agent_rss_kib+=("$rss")
  echo "bench: agent run $run: $cycles cycles, $(((cpu1 - cpu0) / 1000000)) ms CPU," \
    "peak RSS $rss KiB" >&2
done
sent=$(curl -s "http://127.0.0.1:$aws_port/__fake/requests?operation=PutMetricData" |
  jq '[.[] | select(.signature_ok == true and .status == 200)] | length')
echo "bench: $sent PutMetricData calls accepted with valid signatures" >&2

cron_cpu_ms=()
cron_rss_kib=()
for run in $(seq "$runs"); do
  /usr/bin/time -f '%U %S %M' -o "$work/time-$run" env -i PATH=/usr/bin:/bin HOME="$work" \
    NODE_URL="http://127.0.0.1:$node_port" IMDS_URL="http://127.0.0.1:$imds_port" \
    CLOUDWATCH_URL="http://127.0.0.1:$aws_port" \
    AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$imds_port/" \
    bash "$root/bench/agent-blueprint-syncchecker.sh" >/dev/null
  read -r user sys rss <"$work/time-$run"
  cron_cpu_ms+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", (u + s) * 1000}')")
  cron_rss_kib+=("$rss")
  echo "bench: blueprint run $run: ${cron_cpu_ms[-1]} ms CPU, peak RSS $rss KiB" >&2
done
cw=$(curl -s "http://127.0.0.1:$aws_port/__fake/requests?operation=PutMetricData" |
  jq '[.[] | select(.signature_ok == true and .status == 200)] | length')
echo "bench: blueprint: $((cw - sent)) PutMetricData calls accepted with valid signatures" >&2

a_cpu=$(printf '%s\n' "${agent_cpu_ms[@]}" | median)
a_rss=$(printf '%s\n' "${agent_rss_kib[@]}" | median)
c_cpu=$(printf '%s\n' "${cron_cpu_ms[@]}" | median)
c_rss=$(printf '%s\n' "${cron_rss_kib[@]}" | median)
awk -v ac="$a_cpu" -v ar="$a_rss" -v cc="$c_cpu" -v cr="$c_rss" -v runs="$runs" 'BEGIN {
  printf "| per observation cycle (median of %d runs) | node agent | blueprint cron job | ratio | goal |\n", runs
  printf "|---|---|---|---|---|\n"
  printf "| CPU time (user + system) | %.3f ms | %.0f ms | %.0fx less | 100x less |\n", ac, cc, cc / ac
  printf "| per minute of operation (agent: 2 cycles) | %.3f ms | %.0f ms | %.0fx less | |\n", 2 * ac, cc, cc / (2 * ac)
  printf "| peak resident memory | %.1f MiB | %.1f MiB | %.0fx less | under 10 MiB |\n", ar / 1024, cr / 1024, cr / ar
}'
