#!/usr/bin/env bash
# Times `parallax lsp` (release build) as an editor drives it, on generated corpora, beside
# `check` on the same corpus in the same run (examples/lsp_drive.rs speaks JSON-RPC over
# pipes):
#
# * diagnostics for a changed 100-claim claim set of a 2,000-source work: the median and 90th
#   percentile from the didChange notification to its publishDiagnostics (goal: median
#   within 50 ms);
# * start-up on 20,000 sources: from starting the server to the diagnostics of the first
#   file opened (the work indexed), as a ratio to `check` (goal: at most 1.5);
# * the server's peak resident memory, as a ratio to the corpus's bytes (goal: at most 2).
#
#   bash benches/lsp.sh                      # 2,000 and 20,000 sources
#   SIZES="2000" RUNS=5 bash benches/lsp.sh
#
# Corpora (40 scenes, 12 readings, about 15 claims a source, seed 7, as benches/scale.sh)
# are generated once into $BENCH_DIR (default /tmp/parallax-bench) and reused. Each figure
# is the median of $RUNS runs (default 3) after a warm-up run. Needs GNU time and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"2000 20000"}
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"
export RAYON_NUM_THREADS=${THREADS:-2}

cargo build --release --quiet --bin parallax --example gen_corpus --example lsp_drive
bin=${PARALLAX:-$PWD/target/release/parallax}
gen=$PWD/target/release/examples/gen_corpus
drive=$PWD/target/release/examples/lsp_drive
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.stdin.read().split()):.2f}")'; }

echo "| sources | corpus MB | check s | lsp start-up s | start-up / check | change median ms | change p90 ms | peak MB | peak / corpus |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
  dir="$work/scale-$n"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 --readings 12 --claims 15 --seed 7 >/dev/null 2>&1
  fi
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  "$bin" --corpus "$dir" check >/dev/null 2>&1 || true # warm-up: the files in the page cache
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$out/t" "$bin" --corpus "$dir" check >/dev/null 2>&1 || true
    cat "$out/t"
  done | median >"$out/check"
  "$drive" "$bin" "$dir/gen" --changes 10 >/dev/null # warm-up
  : >"$out/runs"
  for _ in $(seq "$runs"); do
    "$drive" "$bin" "$dir/gen" --claims 100 --changes 50 >>"$out/runs"
  done
  pick() { grep "^$1 " "$out/runs" | cut -d' ' -f2 | median; }
  check_s=$(cat "$out/check")
  start_ms=$(pick startup_ms)
  peak_kib=$(grep '^peak_kib ' "$out/runs" | cut -d' ' -f2 | sort -n | tail -1)
  python3 - "$n" "$bytes" "$check_s" "$start_ms" "$(pick change_median_ms)" "$(pick change_p90_ms)" "$peak_kib" <<'PY'
import sys
n, size, check, start_ms, med, p90, peak = sys.argv[1:]
size, check, start, peak = int(size), float(check), float(start_ms) / 1000, int(peak) * 1024
print(f"| {int(n):,} | {size / 1e6:.1f} | {check:.2f} | {start:.2f} | {start / check:.2f} | {float(med):.1f} | {float(p90):.1f} | {peak / 1e6:.0f} | {peak / size:.2f} |")
PY
done
