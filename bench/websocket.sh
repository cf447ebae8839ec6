#!/usr/bin/env bash
# WebSocket against TCP, with Redis as the yardstick in the same run: C = 100, P = 16, S = 32 echo
# over the chat port and over ws://.../ws (subprotocol chat.v1) of the same fresh server, then
# redis-benchmark PING_MBULK at the same C and P; then the memory of N idle connections over each
# (a fresh server for each) and of N plain connections to a fresh redis-server. Several rounds; the
# table gives every round, the load average before it, and the medians.
#
#   bench/websocket.sh                         # 3 rounds of 5 s cells, 10,000 idle connections: about 5 minutes
#   BENCH_ROUNDS=1 BENCH_SECONDS=2 BENCH_IDLE=2000 bench/websocket.sh
#
# Servers: chat-server with its defaults (HTTP listener on, as users run it) on 127.0.0.1;
# redis-server without persistence. Raw outputs go to artifacts/websocket/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
idle=${BENCH_IDLE:-10000}
out=artifacts/websocket
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.log
# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh
need_redis
build
start_redis yardstick-redis
echo_args=(-c 100 -p 16 -s 32 -d "$seconds" -w 1)

declare -a tcp_rate ws_rate ratio_rate tcp_cpu ws_cpu cpu_ratio redis_rate redis_cpu tcp_idle ws_idle redis_idle rows idle_rows
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  before=$(load)
  start_server "chat-$round"
  tcp=$(run "tcp-$round" echo --port "$chat_port" "${echo_args[@]}" --server-pid "$server_pid")
  ws=$(run "ws-$round" echo --transport ws --port "$http_port" "${echo_args[@]}" --server-pid "$server_pid")
  stop_server "$server_pid"
  read -r r_rate r_cpu <<<"$(redis_ping "ping-$round" 100 16)"

  tcp_rate+=("$(field rate "$tcp")") ws_rate+=("$(field rate "$ws")")
  tcp_cpu+=("$(field server_cpu_us "$tcp")") ws_cpu+=("$(field server_cpu_us "$ws")")
  ratio_rate+=("$(ratio "${ws_rate[-1]}" "${tcp_rate[-1]}")") cpu_ratio+=("$(ratio "${ws_cpu[-1]}" "${tcp_cpu[-1]}")")
  redis_rate+=("${r_rate%.*}") redis_cpu+=("$r_cpu")
  rows+=("| $round | $before | ${tcp_rate[-1]} | ${ws_rate[-1]} | ${ratio_rate[-1]} | ${redis_rate[-1]} | \
$(field p50_us "$tcp") / $(field p99_us "$tcp") | $(field p50_us "$ws") / $(field p99_us "$ws") | ${tcp_cpu[-1]} | ${ws_cpu[-1]} | ${cpu_ratio[-1]} | $r_cpu | \
$(field client_cpu_us "$tcp") / $(field client_cpu_us "$ws") |")

  echo "idle connections, round $round" >&2
  before=$(load)
  start_server "idle-tcp-$round"
  itcp=$(run "idle-tcp-$round" connect --port "$chat_port" -c "$idle" --hold 2 --server-pid "$server_pid")
  stop_server "$server_pid"
  start_server "idle-ws-$round"
  iws=$(run "idle-ws-$round" connect --transport ws --port "$http_port" -c "$idle" --hold 2 --server-pid "$server_pid")
  stop_server "$server_pid"
  (
    start_redis "idle-redis-$round"
    run "idle-redis-$round" connect --raw --port "$redis_port" -c "$idle" --hold 2 --server-pid "$redis_pid" >/dev/null
    stop_server "$redis_pid"
  )
  iredis=$(grep '^result ' "$out/idle-redis-$round.txt" | tail -1)
  tcp_idle+=("$(field bytes_per_conn "$itcp")") ws_idle+=("$(field bytes_per_conn "$iws")") redis_idle+=("$(field bytes_per_conn "$iredis")")
  idle_rows+=("| $round | $before | $(field held "$itcp") held, ${tcp_idle[-1]} B | $(field held "$iws") held, ${ws_idle[-1]} B | \
$(ratio "${ws_idle[-1]}" "${tcp_idle[-1]}") | $(field held "$iredis") held, ${redis_idle[-1]} B | \
$(field server_cpu_us "$itcp") / $(field server_cpu_us "$iws") |")
done

echo
machine
echo "$rounds rounds; echo cells ${seconds} s after 1 s warm-up; load average (1, 5, 15 min) before each round"
echo
echo "| round | load average | TCP msg/s | WS msg/s | WS/TCP | Redis PING/s | TCP p50 / p99 us | WS p50 / p99 us | TCP server us/msg | WS server us/msg | cpu WS/TCP | Redis us/op | generator us/msg TCP / WS |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo "| median | | $(median "${tcp_rate[@]}") | $(median "${ws_rate[@]}") | $(median "${ratio_rate[@]}") | $(median "${redis_rate[@]}") | | | \
$(median "${tcp_cpu[@]}") | $(median "${ws_cpu[@]}") | $(median "${cpu_ratio[@]}") | $(median "${redis_cpu[@]}") | |"
echo
echo "| round | load average | TCP, $idle idle | WS, $idle idle | WS/TCP | Redis, $idle idle | server us per connection opened TCP / WS |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${idle_rows[@]}"
echo "| median | | $(median "${tcp_idle[@]}") B | $(median "${ws_idle[@]}") B | | $(median "${redis_idle[@]}") B | |"

if [ "$failures" -gt 0 ]; then
  echo "$failures chat-bench runs had errors" >&2
  exit 1
fi
