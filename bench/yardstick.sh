#!/usr/bin/env bash
# The yardstick: our chat-server and redis-server, both freshly started on 127.0.0.1, measured in
# one run on the same machine, so that the ratios hold even where the machine is shared and noisy.
#
#   bench/yardstick.sh            # about 3 minutes; prints one markdown table on standard output
#   YARDSTICK_SECONDS=2 bench/yardstick.sh    # shorter cells
#
# Grid: C in {1,16,100,1000} x P in {1,16} at S=32 bytes, plus C=100,P=16,S=1024; then connection
# churn and 10,000 idle connections. Ours: chat-bench (every echo checked). Redis, twice: with
# redis-benchmark, PING_MBULK with the same -c and -P (ECHO of 1024 bytes for the S=1024 cell) and
# -k 0 for churn; and with chat-bench itself in RESP (--transport resp: ECHO of the same msg, PING
# for churn's handshake), so that one generator with one traffic pattern drives both servers. Idle
# connections: chat-bench --raw. CPU time per operation of both servers comes from /proc/PID/stat,
# memory from VmRSS. Two tables; raw outputs go to artifacts/yardstick/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${YARDSTICK_SECONDS:-4}
warmup=1
idle_connections=10000
out=artifacts/yardstick
mkdir -p "$out"
rm -f "$out"/*.txt

# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh
need_redis
build

# Server settings: the defaults, on loopback, with room for 10,000 idle users beside the load.
start_server chat-server --http-port off
chat_pid=$server_pid
# Redis settings: no persistence (nothing here writes), room for the idle connections.
start_redis redis-server

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# chat-bench against Redis in RESP; prints a row of the same-generator table.
same_generator_row() {
  local what=$1 name=$2 mine=$3
  shift 3
  local theirs m_rate m_cpu r_rate r_cpu
  theirs=$(run "chat-redis-$name" "$@" --transport resp --port "$redis_port" --server-pid "$redis_pid")
  m_rate=$(field rate "$mine")
  m_cpu=$(field server_cpu_us "$mine")
  r_rate=$(field rate "$theirs")
  r_cpu=$(field server_cpu_us "$theirs")
  echo "| $what | $m_rate | $r_rate | $(ratio "$m_rate" "$r_rate") | $(field p50_us "$mine") / $(field p99_us "$mine") | \
$(field p50_us "$theirs") / $(field p99_us "$theirs") | $(ratio "$(field p99_us "$mine")" "$(field p99_us "$theirs")") | $m_cpu | $r_cpu | $(ratio "$m_cpu" "$r_cpu") |"
}

# redis_benchmark_row WHAT C P S MINE THEIRS: a row of the first table, from chat-bench's result
# line and redis_run's "rps p50 p99 cpu".
redis_benchmark_row() {
  local what=$1 c=$2 p=$3 s=$4 mine=$5 r_rate r_p50 r_p99 r_cpu m_rate m_cpu
  read -r r_rate r_p50 r_p99 r_cpu <<<"$6"
  m_rate=$(field rate "$mine")
  m_cpu=$(field server_cpu_us "$mine")
  echo "| $what | $c | $p | $s | $m_rate | ${r_rate%.*} | $(ratio "$m_rate" "$r_rate") | \
$(field p50_us "$mine") / $(field p99_us "$mine") | $r_p50 / $r_p99 | $m_cpu | $r_cpu | $(ratio "$m_cpu" "$r_cpu") |"
}

rows=()
same=()
echo "idle connections" >&2
chat_idle=$(run chat-idle connect --port "$chat_port" -c "$idle_connections" --hold 2 --server-pid "$chat_pid")
redis_idle=$("$bench" connect --raw --port "$redis_port" -c "$idle_connections" --hold 2 --server-pid "$redis_pid" \
  | tee "$out/redis-idle.txt" | grep '^result ')
chat_bytes=$(field bytes_per_conn "$chat_idle")
redis_bytes=$(field bytes_per_conn "$redis_idle")
idle_row="| idle connections: memory per connection | $idle_connections | | | $(field held "$chat_idle") held, $chat_bytes B | \
$(field held "$redis_idle") held, $redis_bytes B | $(ratio "$chat_bytes" "$redis_bytes") | | | | | |"

for cell in "1 1 32" "1 16 32" "16 1 32" "16 16 32" "100 1 32" "100 16 32" "1000 1 32" "1000 16 32" "100 16 1024"; do
  read -r c p s <<<"$cell"
  echo "echo c=$c p=$p s=$s" >&2
  mine=$(run "chat-echo-$c-$p-$s" echo --port "$chat_port" -c "$c" -p "$p" -s "$s" -d "$seconds" -w "$warmup" --server-pid "$chat_pid")
  calibration=$((p == 1 ? 20000 : 200000))
  if [ "$s" = 32 ]; then
    theirs=$(redis_run "redis-ping-$c-$p" "$calibration" -c "$c" -P "$p" -t ping_mbulk)
    what="echo / PING_MBULK"
  else
    theirs=$(redis_run "redis-echo-$c-$p-$s" "$calibration" -c "$c" -P "$p" ECHO "$(head -c "$s" /dev/zero | tr '\0' x)")
    what="echo / ECHO ${s} B"
  fi
  rows+=("$(redis_benchmark_row "$what" "$c" "$p" "$s" "$mine" "$theirs")")
  same+=("$(same_generator_row "echo / ECHO, C = $c, P = $p, S = $s" "resp-$c-$p-$s" "$mine" \
    echo -c "$c" -p "$p" -s "$s" -d "$seconds" -w "$warmup")")
done

echo "churn" >&2
churn_c=4
mine=$(run chat-churn churn --port "$chat_port" -c "$churn_c" -d "$seconds" -w "$warmup" --server-pid "$chat_pid")
theirs=$(redis_run redis-churn 2000 -c "$churn_c" -k 0 -t ping_mbulk)
rows+=("$(redis_benchmark_row "churn: connect, handshake / PING, close" "$churn_c" 1 "" "$mine" "$theirs")")
same+=("$(same_generator_row "churn: connect, handshake / PING, close, C = $churn_c" churn "$mine" churn -c "$churn_c" -d "$seconds" -w "$warmup")")
rows+=("$idle_row")

echo
echo "$(machine); ${seconds} s per cell after ${warmup} s warm-up"
echo "Server RSS at the end: chat-server $(rss_kib "$chat_pid") KiB, redis-server $(rss_kib "$redis_pid") KiB"
echo
echo "| test | C | P | S | chat-server ops/s | redis ops/s | chat/redis | chat p50 / p99 us | redis p50 / p99 us | chat cpu us/op | redis cpu us/op | cpu chat/redis |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo
echo "The same generator for both: chat-bench against chat-server, and chat-bench --transport resp against redis-server"
echo
echo "| cell | chat-server ops/s | redis ops/s | chat/redis | chat p50 / p99 us | redis p50 / p99 us | p99 chat/redis | chat cpu us/op | redis cpu us/op | cpu chat/redis |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${same[@]}"

if [ "$failures" -gt 0 ]; then
  echo "yardstick: $failures chat-bench runs had errors" >&2
  exit 1
fi
