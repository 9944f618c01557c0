#!/usr/bin/env bash
# Check-in speed per request against a static file, in one run (issue 14, point 14): starts the Release portal on a
# fresh SQLite database (Production settings, rate limits on; the per-address check-in limit raised, since every
# request comes from 127.0.0.1), registers 200 venues, then runs wrk in rounds on a static file and on one check-in per
# request (ROUNDS, default 5; SECONDS_PER_RUN, default 10; CONNECTIONS, default 64), and counts the stored rows. Needs wrk (Debian package) and a Release build (dotnet build -c Release src/CitizenSensor).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${SECONDS_PER_RUN:-10}
port=${PORT:-5080}
work=$(mktemp -d)
url="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=false Site__PublicBaseUrl="$url" \
  ConnectionStrings__CitizenSensor="Data Source=$work/cs.db" Privacy__DataKey="$(head -c 32 /dev/urandom | base64)" \
  RateLimits__CheckIns__Permits=100000000 RateLimits__VenueRegistrations__Permits=100000 \
  Logging__LogLevel__Default=Warning
dotnet src/CitizenSensor/bin/Release/net10.0/CitizenSensor.dll --urls "$url" --contentRoot "$PWD/src/CitizenSensor" > "$work/portal.log" 2>&1 &
portal=$!
trap 'kill $portal 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$url/healthz" > /dev/null && break; sleep 0.5; done
: > bench/wrk/venues.txt
for i in $(seq 1 200); do
  curl -fs -X POST "$url/api/v1/venues" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Quán thử $i\",\"kind\":\"restaurant\",\"address\":\"$i Phúc Xá\",\"wardCode\":\"00001\",\"ownerName\":\"Chủ quán\",\"ownerPhone\":\"0909$(printf %06d $i)\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' >> bench/wrk/venues.txt
done
# Warm-up (JIT, caches, thread pool), not counted; then rounds of static file and check-ins back to back, so that each
# ratio compares two runs a few seconds apart on this noisy machine, and the median of the rounds' ratios is the result.
wrk -t2 -c"${CONNECTIONS:-64}" -d5s "$url/favicon.svg" > /dev/null
wrk -t2 -c"${CONNECTIONS:-64}" -d5s -s bench/wrk/checkin.lua "$url" -- 0 > "$work/warmup.txt"
total=$(awk '/requests in/ {print $1}' "$work/warmup.txt")
refused=$(awk '/Non-2xx/ {print $5}' "$work/warmup.txt"); refused=${refused:-0}
ratios=()
[ "${ROUNDS:-5}" -le 9 ] || { echo "ROUNDS must be 1 to 9"; exit 2; }
for round in $(seq 1 "${ROUNDS:-5}"); do
  wrk -t2 -c"${CONNECTIONS:-64}" -d"${seconds}s" "$url/favicon.svg" > "$work/static.txt"
  if [ -n "${TRACE:-}" ] && [ "$round" = 1 ]; then # a CPU sample of the first check-in round (dotnet-trace), left in $TRACE
    (sleep 2; ~/.dotnet/tools/dotnet-trace collect -p $portal --profile dotnet-sampled-thread-time --duration 00:00:00:06 -o "$TRACE" > /dev/null) &
    tracer=$!
  fi
  wrk -t2 -c"${CONNECTIONS:-64}" -d"${seconds}s" -s bench/wrk/checkin.lua "$url" -- "$round" > "$work/checkin.txt"
  [ -z "${tracer:-}" ] || { wait "$tracer"; tracer=; }
  static=$(awk '/Requests\/sec/ {print $2}' "$work/static.txt")
  checkins=$(awk '/Requests\/sec/ {print $2}' "$work/checkin.txt")
  latency=$(awk '/Latency/ {print $2}' "$work/checkin.txt")
  ratio=$(python3 -c "print(round($checkins/$static, 3))")
  ratios+=("$ratio")
  echo "round $round: static $static req/s; check-ins $checkins req/s (mean latency $latency); ratio $ratio"
  total=$((total + $(awk '/requests in/ {print $1}' "$work/checkin.txt")))
  r=$(awk '/Non-2xx/ {print $5}' "$work/checkin.txt"); refused=$((refused + ${r:-0}))
done
echo "median ratio of ${#ratios[@]} rounds: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')"
# The portal's CPU over 5 idle seconds after the run: what it spends on its own bookkeeping (timers, limiters).
ticks() { awk '{print $14 + $15}' "/proc/$portal/stat"; }
before=$(ticks); sleep 5; after=$(ticks)
idle_cpu=$(( (after - before) * 100 / $(getconf CLK_TCK) / 5 ))
kill $portal; wait $portal 2>/dev/null || true
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from CheckIns').fetchone()[0])" "$work/cs.db")
echo "portal CPU while idle after the run: ${idle_cpu}% of one core"
echo "check-in answers $total, of them not 201: $refused; rows stored $rows"
[ "$rows" -ge $((total - refused)) ] || { echo "FAIL: fewer rows than acknowledged check-ins"; exit 1; }
