#!/usr/bin/env bash
# Times `parallax reliability` and `parallax curate --all` against `parallax check` on a
# generated corpus of several coders' codings of every source (10 coders × 2,000 sources ×
# 40 scenes by default), with peak memory beside the corpus's bytes. Prints a Markdown table.
#
#   bash benches/coders.sh
#   CODERS=5 SOURCES=500 bash benches/coders.sh
#
# `curate` writes into a copy of the corpus, made afresh before each run. Needs hyperfine
# (Debian: apt-get install hyperfine) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

coders=${CODERS:-10}
sources=${SOURCES:-2000}
scenes=${SCENES:-40}
runs=${RUNS:-5}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus
bin=target/release/parallax
gen=target/release/examples/gen_corpus

dir="$work/coders-$coders-$sources-$scenes"
if [ ! -d "$dir" ]; then
  "$gen" "$dir" --sources "$sources" --scenes "$scenes" --coders "$coders" --seed 3 >/dev/null
fi
bytes=$(du -sb --apparent-size "$dir" | cut -f1)

mean() { # mean wall time in ms of a command, over $runs runs
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;print(f\"{json.load(open('$work/h.json'))['results'][0]['mean']*1000:.1f}\")"
}
peak() { # peak resident memory in KiB
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}
row() { # name, then the command
  local name=$1
  shift
  local ms kib out
  ms=$(mean "$*")
  kib=$(peak "$@")
  out=$("$@" 2>/dev/null | wc -c)
  python3 -c "print(f'| $name | {$ms:.1f} | {$ms/$check:.2f} | {$kib} | {$kib*1024/$bytes:.2f} | {$out/1e6:.1f} |')"
}

echo "corpus: $coders coders × $sources sources × $scenes scenes, $bytes bytes"
echo
echo "| command | ms | / check | peak KiB | peak / corpus | output MB |"
echo "|---|---:|---:|---:|---:|---:|"
check=$(mean "$bin --corpus $dir check")
row check "$bin" --corpus "$dir" check
row "reliability --format json" "$bin" --corpus "$dir" reliability --format json
row "reliability (terminal)" "$bin" --corpus "$dir" reliability
row "reliability, 2 sources (the load)" "$bin" --corpus "$dir" reliability --format json --sources s-00001,s-00002
if "$bin" curate --help >/dev/null 2>&1; then
  copy="$work/coders-curate"
  prepare="rm -rf $copy && cp -r $dir $copy"
  hyperfine -N --warmup 1 --runs "$runs" --prepare "$prepare" --export-json "$work/h.json" \
    "$bin --corpus $copy curate --all --force" >/dev/null 2>&1
  ms=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['mean']*1000)")
  rm -rf "$copy" && cp -r "$dir" "$copy"
  kib=$(peak "$bin" --corpus "$copy" curate --all --force)
  python3 -c "print(f'| curate --all | {$ms:.1f} | {$ms/$check:.2f} | {$kib} | {$kib*1024/$bytes:.2f} | |')"
fi
