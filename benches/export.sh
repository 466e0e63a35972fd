#!/usr/bin/env bash
# Times `export` of the release binary in every format on generated corpora, beside `check`
# (the cost of loading), with the peak memory of each run. Prints a Markdown table.
#
#   bash benches/export.sh               # 300 and 500 sources, 40 scenes
#   SIZES="60 300" bash benches/export.sh
#
# Needs GNU time (/usr/bin/time). `export --format csv` should cost about what `check` costs
# (it reads only the claims); the other formats write the report a section at a time, so
# their memory grows with the corpus and the pair table, not with the report.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"300 500"}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus
bin=target/release/parallax
gen=target/release/examples/gen_corpus

run() { # run LABEL ARGS… : wall seconds, peak KiB and output bytes of one run
  local out="$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" "$@" >"$out"
  read -r secs kib <"$work/time"
  printf '| %s | %s | %s | %s |\n' "$label" "$secs" "$kib" "$(wc -c <"$out")"
}

for n in $sizes; do
  dir="$work/export-s$n"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 --readings 12 --claims 15 --seed 7 >/dev/null
  fi
  echo
  echo "$n sources, 40 scenes, $(grep -rc '^\[\[claim\]\]' "$dir/gen/sources" | awk -F: '{s+=$2} END {print s}') claims"
  echo
  echo "| run | seconds | peak KiB | output bytes |"
  echo "|---|---:|---:|---:|"
  label="check" run --corpus "$dir" check
  for format in csv json markdown html latex table; do
    label="export -f $format" run --corpus "$dir" export --format "$format"
  done
  label="export -f html --pairs none" run --corpus "$dir" export --format html --pairs none
  label="export -f html --pairs all" run --corpus "$dir" export --format html --pairs all
  label="export -f json --pairs all" run --corpus "$dir" export --format json --pairs all
done
