#!/usr/bin/env bash
# Cluster mode against one node, with Redis as the yardstick in the same run. Starts one chat-server
# alone (no Redis), one redis-server for the cluster, three nodes of one cluster on it, and a second
# redis-server for the yardstick. Each round, at C = 100, P = 16, S = 32 (chat-bench echo --traffic):
#   direct messages between pairs on the single node;
#   (a) pairs on the same node, over two nodes (A and B);
#   (b) pairs across the two nodes: every message goes from A to B or back through Redis;
# then a broadcast fan-out (chat-bench fanout: one sender, 1,000 receivers) at P = 1 and P = 16, on
# the single node and (c) over three nodes (A, B, C); and redis-benchmark PING_MBULK at C = 100,
# P = 16. The servers' and the cluster Redis's CPU per message come from /proc/PID/stat.
#
#   bench/cluster.sh                           # 3 rounds of 5 s cells: about 5 minutes
#   BENCH_ROUNDS=1 BENCH_SECONDS=2 bench/cluster.sh
#
# Raw outputs go to artifacts/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
receivers=${BENCH_RECEIVERS:-1000}
out=artifacts/cluster
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.log
# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh
need_redis
build

start_server single
single_pid=$server_pid single="127.0.0.1:$chat_port"
start_redis cluster-redis
cluster_redis_pid=$redis_pid cluster_redis="127.0.0.1:$redis_port"
cluster="bench$$"
node_pids=() nodes=()
for name in a b c; do
  start_server "node-$name" --redis "$cluster_redis" --cluster "$cluster" --node-name "$name"
  node_pids+=("$server_pid") nodes+=("127.0.0.1:$chat_port")
done
start_redis yardstick-redis
two="${nodes[0]},${nodes[1]}" two_pids="${node_pids[0]},${node_pids[1]}"
three="${nodes[0]},${nodes[1]},${nodes[2]}" three_pids="${node_pids[0]},${node_pids[1]},${node_pids[2]}"
direct=(-c 100 -p 16 -s 32 -d "$seconds" -w 1)
fanout=(--receivers "$receivers" --senders 1 -s 32 -d "$seconds" -w 1)

declare -A values
declare -a rows fan_rows
keep() { values[$1]="${values[$1]:-} $2"; }
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  before=$(load)
  one=$(run "direct-single-$round" echo --traffic local --port "${single#*:}" "${direct[@]}" --server-pid "$single_pid")
  local2=$(run "direct-local-$round" echo --traffic local --servers "$two" "${direct[@]}" --server-pid "$two_pids" --redis-pid "$cluster_redis_pid")
  cross=$(run "direct-cross-$round" echo --traffic cross --servers "$two" "${direct[@]}" --server-pid "$two_pids" --redis-pid "$cluster_redis_pid")
  read -r r_rate r_cpu <<<"$(redis_ping "ping-$round" 100 16)"
  for cell in one local2 cross; do
    keep "$cell-rate" "$(field rate "${!cell}")"
    keep "$cell-cpu" "$(field server_cpu_us "${!cell}")"
  done
  keep redis-rate "${r_rate%.*}"
  keep redis-cpu "$r_cpu"
  keep local-ratio "$(ratio "$(field rate "$local2")" "$(field rate "$one")")"
  keep cross-ratio "$(ratio "$(field rate "$cross")" "$(field rate "$one")")"
  keep cross-redis "$(field redis_cpu_us "$cross")"
  rows+=("| $round | $before | $(field rate "$one") | $(field rate "$local2") | $(ratio "$(field rate "$local2")" "$(field rate "$one")") | \
$(field rate "$cross") | $(ratio "$(field rate "$cross")" "$(field rate "$one")") | ${r_rate%.*} | \
$(field server_cpu_us "$one") | $(field server_cpu_us "$local2") | $(field server_cpu_us "$cross") | $(field redis_cpu_us "$cross") | $r_cpu | \
$(field p50_us "$one") / $(field p99_us "$one") | $(field p50_us "$cross") / $(field p99_us "$cross") |")

  before=$(load)
  for p in 1 16; do
    f1=$(run "fanout-single-p$p-$round" fanout --port "${single#*:}" "${fanout[@]}" -p "$p" --server-pid "$single_pid")
    f3=$(run "fanout-three-p$p-$round" fanout --servers "$three" "${fanout[@]}" -p "$p" --server-pid "$three_pids" --redis-pid "$cluster_redis_pid")
    for cell in f1 f3; do
      keep "$cell-$p-rate" "$(field rate "${!cell}")"
      keep "$cell-$p-cpu" "$(field server_cpu_us "${!cell}")"
      keep "$cell-$p-p50" "$(field p50_us "${!cell}")"
      keep "$cell-$p-p99" "$(field p99_us "${!cell}")"
    done
    keep "f3-$p-redis" "$(field redis_cpu_us "$f3")"
    fan_rows+=("| $round | $before | $p | $(field rate "$f1") | $(field p50_us "$f1") / $(field p99_us "$f1") | $(field server_cpu_us "$f1") | \
$(field rate "$f3") | $(field p50_us "$f3") / $(field p99_us "$f3") | $(field server_cpu_us "$f3") | $(field redis_cpu_us "$f3") |")
  done
done
m() { read -ra list <<<"${values[$1]}"; median "${list[@]}"; }

echo
machine
echo "$rounds rounds; cells ${seconds} s after 1 s warm-up; load average (1, 5, 15 min) before each part of a round"
echo
echo "Direct messages, C = 100 (50 pairs), P = 16, S = 32; messages/s counts deliveries; CPU in us per message (servers together):"
echo
echo "| round | load average | one node msg/s | (a) two nodes, local | (a)/one | (b) two nodes, cross | (b)/one | Redis PING/s | one node cpu | (a) cpu | (b) cpu | (b) Redis cpu | Redis PING cpu | one node p50 / p99 us | (b) p50 / p99 us |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo "| median | | $(m one-rate) | $(m local2-rate) | $(m local-ratio) | $(m cross-rate) | $(m cross-ratio) | $(m redis-rate) | \
$(m one-cpu) | $(m local2-cpu) | $(m cross-cpu) | $(m cross-redis) | $(m redis-cpu) | | |"
echo
echo "Broadcast fan-out, 1 sender, $receivers receivers, S = 32; deliveries/s, delivery latency, CPU in us per delivery:"
echo
echo "| round | load average | P | one node deliveries/s | p50 / p99 us | server cpu | (c) three nodes deliveries/s | p50 / p99 us | servers cpu | Redis cpu |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${fan_rows[@]}"
for p in 1 16; do
  echo "| median | | $p | $(m "f1-$p-rate") | $(m "f1-$p-p50") / $(m "f1-$p-p99") | $(m "f1-$p-cpu") | $(m "f3-$p-rate") | $(m "f3-$p-p50") / $(m "f3-$p-p99") | $(m "f3-$p-cpu") | $(m "f3-$p-redis") |"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures chat-bench runs had errors" >&2
  exit 1
fi
