#!/usr/bin/env bash
# Times every command of the release binary on generated corpora of 2,000, 20,000 and
# 100,000 sources (40 scenes, about 15 claims each) and compares each with `check` and with
# the parse floor: reading and parsing the same files with the `toml` crate on one thread
# and nothing else. Prints one Markdown table per corpus size: wall time, CPU time (user +
# system), peak resident memory, and the ratios, all measured in the same run.
#
#   bash benches/scale.sh                    # 2,000, 20,000 and 100,000 sources
#   SIZES="2000 20000" RUNS=5 bash benches/scale.sh
#
# PARALLAX=/path/to/parallax times another build (an older one, to compare).
# Corpora are generated once into $BENCH_DIR (default /tmp/parallax-bench) and reused.
# Each figure is the median of $RUNS runs (default 3) after one warm-up run, so the files
# are in the page cache. Needs GNU time (/usr/bin/time) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"2000 20000 100000"}
runs=${RUNS:-3}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus --example parse_floor
bin=${PARALLAX:-$PWD/target/release/parallax}
gen=$PWD/target/release/examples/gen_corpus
floor=$PWD/target/release/examples/parse_floor
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# measure NAME CMD...: one line "NAME wall cpu peak_kib out_bytes", medians of $runs runs
measure() {
  local name=$1
  shift
  "$@" >"$out/o" 2>/dev/null || true # warm-up, and the output's size
  local size
  size=$(stat -c %s "$out/o")
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$out/t" "$@" >/dev/null 2>/dev/null || true
    cat "$out/t"
  done | python3 -c '
import statistics, sys
rows = [[float(x) for x in line.split()] for line in sys.stdin if line.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
peak = max(int(r[3]) for r in rows)
print(sys.argv[1], f"{wall:.3f}", f"{cpu:.3f}", peak, sys.argv[2])
' "$name" "$size"
}

for n in $sizes; do
  dir="$work/scale-$n"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 --readings 12 --claims 15 --seed 7 >/dev/null 2>&1
  fi
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  claims=$(find "$dir/gen/sources" -name '*.toml' -print0 | xargs -0 cat | grep -c '^\[\[claim\]\]')
  p=(env RAYON_NUM_THREADS="${THREADS:-2}" "$bin" --corpus "$dir")
  {
    measure "parse floor (1 thread)" "$floor" "$dir"
    measure "check" "${p[@]}" check
    measure "matrix -f csv" "${p[@]}" matrix --format csv
    measure "scene" "${p[@]}" scene scene-1 --format json
    measure "compare" "${p[@]}" compare s-00001 s-00002 --format json
    measure "agreement --no-pairs" "${p[@]}" agreement --no-pairs --format json
    if [ "$n" -le 2000 ]; then
      measure "agreement" "${p[@]}" agreement --format json
    fi
    measure "export -f csv" "${p[@]}" export --format csv
    measure "export -f html --pairs none" "${p[@]}" export --format html --pairs none
    measure "voices" "${p[@]}" voices --format json
  } >"$out/rows"
  python3 - "$n" "$claims" "$bytes" "$out/rows" <<'EOF'
import sys
n, claims, size, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
data = []
for line in open(rows):
    *name, wall, cpu, peak, out = line.split()
    data.append((" ".join(name), float(wall), float(cpu), int(peak), int(out)))
floor, check = data[0], data[1]
print(f"\n### {int(n):,} sources, {claims:,} claims, {size / 1e6:.1f} MB\n")
print("| command | wall s | CPU s | peak MB | output MB | wall / check | wall / floor "
      "| CPU / floor | peak / corpus |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, wall, cpu, peak, out in data:
    print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak / 1024:.1f} | {out / 1e6:.1f} "
          f"| {wall / check[1]:.2f} | {wall / floor[1]:.2f} | {cpu / floor[2]:.2f} "
          f"| {peak * 1024 / size:.2f} |")
EOF
done
