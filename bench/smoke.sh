#!/usr/bin/env bash
# A few seconds of real load, for CI: starts a Release chat-server on a free loopback port, runs
# chat-bench's three modes briefly (every echo checked), then 20 s of soak (clients joining and
# leaving, every delivery checked, num.users polled on the admin socket), and fails on any error or
# violation. Not a measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Chat.Server/Chat.Server.csproj -c Release -v quiet -nologo >/dev/null
dotnet build bench/Chat.LoadGen/Chat.LoadGen.csproj -c Release -v quiet -nologo >/dev/null
server=src/Chat.Server/bin/Release/net10.0/chat-server
bench=bench/Chat.LoadGen/bin/Release/net10.0/chat-bench

log=$(mktemp)
admin_dir=$(mktemp -d)
admin_socket="$admin_dir/chat-server.sock"
"$server" --host 127.0.0.1 --port 0 --shutdown-timeout 1 --admin-socket "$admin_socket" --http-port off </dev/null 2>"$log" &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$log"
  rm -rf "$admin_dir"
}
trap stop_server EXIT

port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "smoke: the server did not start" >&2
  cat "$log" >&2
  exit 1
fi

"$bench" echo --port "$port" -c 4 -p 4 -d 2 -w 0.5 --server-pid "$server_pid"
"$bench" churn --port "$port" -c 2 -d 1 -w 0.2
"$bench" connect --port "$port" -c 200 --hold 1 --server-pid "$server_pid"
"$bench" soak --port "$port" -c 50 --duration 20s --rate 200 --lifetime 5 --sample-every 5 \
  --admin-socket "$admin_socket" --server-pid "$server_pid"
echo "smoke: ok"
