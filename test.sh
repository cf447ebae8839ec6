#!/usr/bin/env bash
# Runs every test in the repository. Installs what a fresh Debian machine lacks first (as root),
# then prints one closing line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: the Python client's test needs protoc and Google's protobuf;
# the cluster tests start redis-servers of their own; the chat page's browser tests drive Debian's
# chromium through its chromedriver (no browser is ever downloaded).
packages=(python3 python3-protobuf protobuf-compiler redis-server chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} (apt-get install them; the tests that need them will fail)" >&2
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Chat.slnx -c Release --blame-hang-timeout 5m 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary line per test assembly; add them up into one plain line.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{ sum += $2 } END { print sum + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{ sum += $2 } END { print sum + 0 }')
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
