#!/usr/bin/env bash
# Throughput of `etl generate` to a real CSV file (default 10M events), measured from outside:
# wall time and peak RSS of the whole process (worker threads included) by /usr/bin/time -v.
# Prints one summary line and appends a tidy row to results/bench-generate.csv. The file is
# deleted afterwards. The machine may be shared: the 1-minute load average is recorded.
# Usage: bash bench/generatorThroughput.sh [EVENTS] [WORKERS]
set -euo pipefail
events=${1:-10000000}
workers=${2:-}
mkdir -p scratch results
out="scratch/bench-generate-$$.csv"
timing="scratch/bench-generate-$$.time"
summary="scratch/bench-generate-$$.json"
trap 'rm -f "$out" "$timing" "$summary"' EXIT
load_before=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -v -o "$timing" node bin/etl.js generate --events "$events" --seed 42 --format csv \
  --out "$out" ${workers:+--workers "$workers"} >"$summary"
load_after=$(cut -d' ' -f1 /proc/loadavg)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$timing")
cpu_user=$(awk -F': ' '/User time/ {print $2}' "$timing")
cpu_sys=$(awk -F': ' '/System time/ {print $2}' "$timing")
read -r eps bytes csv_ms < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(Math.round(r.eventsPerSecond), r.csvBytes, Math.round(r.csvMs));' "$summary")
echo "bench-generate: events=$events workers=${workers:-default} events_per_s=$eps csv_s=$(awk "BEGIN {print $csv_ms/1000}") wall=$wall cpu_user_s=$cpu_user cpu_sys_s=$cpu_sys peak_rss_mb=$((rss_kb / 1024)) file_mb=$((bytes / 1000000)) load_avg=$load_before->$load_after (machine shared; nproc=$(nproc))"
row="$(date -u +%Y-%m-%dT%H:%M:%SZ),$events,${workers:-default},$eps,$csv_ms,$cpu_user,$cpu_sys,$rss_kb,$bytes,$load_before,$load_after,$(nproc)"
file=results/bench-generate.csv
[ -f "$file" ] || echo "utc,events,workers,events_per_s,csv_ms,cpu_user_s,cpu_sys_s,peak_rss_kb,csv_bytes,load_before,load_after,nproc" >"$file"
echo "$row" >>"$file"
