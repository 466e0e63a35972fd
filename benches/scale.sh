#!/usr/bin/env bash
# Times the release binary on generated corpora and compares loading with the floor: reading
# and parsing the same files with the `toml` crate and nothing else. Prints Markdown tables.
#
#   bash benches/scale.sh              # 200, 2,000 and 20,000 sources
#   SIZES="200 2000" bash benches/scale.sh
#
# Needs hyperfine (Debian: apt-get install hyperfine) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"200 2000 20000"}
runs=${RUNS:-5}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus --example parse_floor
bin=target/release/parallax
gen=target/release/examples/gen_corpus
floor=target/release/examples/parse_floor

mean() { # mean wall time in ms of a command, over $runs runs
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;print(f\"{json.load(open('$work/h.json'))['results'][0]['mean']*1000:.1f}\")"
}
peak() { # peak resident memory in KiB
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

echo "| sources | claims | corpus bytes | parse floor ms | check ms | check / floor | matrix csv ms | scene ms | agreement --no-pairs ms | check peak KiB | agreement peak KiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  dir="$work/s$n"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 --readings 12 --claims 15 --seed 7 >/dev/null
  fi
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  claims=$(grep -rc '^\[\[claim\]\]' "$dir/gen/sources" | awk -F: '{s+=$2} END {print s}')
  f=$(mean "$floor $dir")
  c=$(mean "$bin --corpus $dir check")
  m=$(mean "$bin --corpus $dir matrix --format csv")
  s=$(mean "$bin --corpus $dir scene scene-1 --format json")
  a=$(mean "$bin --corpus $dir agreement --no-pairs --format json")
  pc=$(peak "$bin" --corpus "$dir" check)
  pa=$(peak "$bin" --corpus "$dir" agreement --no-pairs --format json)
  ratio=$(python3 -c "print(f'{$c/$f:.2f}')")
  echo "| $n | $claims | $bytes | $f | $c | $ratio | $m | $s | $a | $pc | $pa |"
done
