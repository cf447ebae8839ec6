# Shared by yardstick.sh, websocket.sh and cluster.sh: builds the Release programs, starts and stops servers and
# redis-servers on free loopback ports, reads chat-bench's result line. Source it; set $out first.

# redis-server and redis-benchmark come from Debian's packages (redis-tools brings the benchmark).
need_redis() {
  if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
    else
      echo "redis-server and redis-benchmark are needed (apt-get install redis-server)" >&2
      exit 1
    fi
  fi
}

build() {
  echo "building the Release server and chat-bench" >&2
  dotnet publish src/Chat.Server/Chat.Server.csproj -c Release -o "$out/server" -v quiet -nologo >/dev/null
  dotnet publish bench/Chat.LoadGen/Chat.LoadGen.csproj -c Release -o "$out/bench" -v quiet -nologo >/dev/null
  bench="$out/bench/chat-bench"
}

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

# start_server NAME ARGS...: a chat-server on free ports (chat and HTTP, unless ARGS give their own
# --http-port) with the defaults otherwise; sets server_pid, chat_port and http_port (empty when
# the HTTP listener is off). Its log goes to $out/NAME.log.
start_server() {
  local name=$1
  shift
  local http=(--http-port 0)
  case " $* " in *" --http-port "*) http=() ;; esac
  "$out/server/chat-server" --host 127.0.0.1 --port 0 "${http[@]}" --max-users 20000 --shutdown-timeout 1 \
    --admin-socket "" "$@" </dev/null 2>"$out/$name.log" &
  server_pid=$!
  pids+=("$server_pid")
  chat_port= http_port=
  for _ in $(seq 200); do
    chat_port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$out/$name.log")
    http_port=$(sed -n 's|.*chat page on http://[0-9.]*:\([0-9]*\)/.*|\1|p' "$out/$name.log")
    [ -n "$chat_port" ] && { [ -n "$http_port" ] || [ ${#http[@]} -eq 0 ]; } && return 0
    sleep 0.1
  done
  echo "chat-server $name did not start" >&2
  cat "$out/$name.log" >&2
  exit 1
}

stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# start_redis NAME: a redis-server with no persistence on a free port; sets redis_pid and redis_port.
start_redis() {
  redis_port=
  for candidate in $(seq 26380 26480); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      redis_port=$candidate
      break
    fi
  done
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --maxclients 20000 \
    --daemonize no --logfile "$out/$1.log" &
  redis_pid=$!
  pids+=("$redis_pid")
  for _ in $(seq 100); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server $1 did not start" >&2
  exit 1
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
# median of its arguments (three rounds: the middle one)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load() { sed 's/.*load average: //' <<<"$(uptime)"; }

failures=0
# run NAME ARGS...: chat-bench with its output kept in $out/NAME.txt; prints the result line.
run() {
  local name=$1
  shift
  if ! "$bench" "$@" >"$out/$name.txt" 2>&1; then
    failures=$((failures + 1))
    echo "chat-bench $* failed, see $out/$name.txt" >&2
  fi
  grep '^result ' "$out/$name.txt" | tail -1
}

# redis_run NAME CALIBRATION ARGS...: redis-benchmark ARGS for about $seconds, after a calibration
# run of CALIBRATION requests that finds its rate (and warms it up); output in $out/NAME.txt.
# Prints "rps p50_us p99_us cpu_us_per_op".
redis_run() {
  local name=$1 calibration=$2
  shift 2
  local rps n before after line
  rps=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -n "$calibration" --csv "$@" | tail -1 | cut -d, -f2 | tr -d '"')
  n=$(awk -v r="$rps" -v s="$seconds" 'BEGIN { printf "%d", r * s }')
  before=$(cpu_ticks "$redis_pid")
  redis-benchmark -h 127.0.0.1 -p "$redis_port" -n "$n" --csv "$@" >"$out/$name.txt"
  after=$(cpu_ticks "$redis_pid")
  line=$(tail -1 "$out/$name.txt" | tr -d '"')
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  awk -F, -v t=$((after - before)) -v n="$n" '{ printf "%s %.0f %.0f %.2f\n", $2, $5 * 1000, $7 * 1000, t * 10000 / n }' <<<"$line"
}

# redis_ping NAME C P: PING_MBULK at C connections and P pipelined; prints "rps cpu_us_per_op".
redis_ping() {
  local rps p50 p99 cpu
  read -r rps p50 p99 cpu <<<"$(redis_run "$1" 200000 -c "$2" -P "$3" -t ping_mbulk)"
  echo "$rps $cpu"
}

machine() {
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), \
$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); .NET $(dotnet --version) (runtime \
$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -1)); $(redis-server --version | sed 's/ sha=.*//')"
}
