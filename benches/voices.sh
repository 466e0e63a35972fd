#!/usr/bin/env bash
# Times `parallax voices` against `parallax check` on generated corpora where people are
# quoted thousands of times (remark matching must use its index, not compare all pairs).
# Prints a Markdown table.
#
#   bash benches/voices.sh                       # 2,000 and 20,000 sources, 50 people
#   SIZES="2000" bash benches/voices.sh
#
# At 20,000 sources with 5 reported quotes each, each of the 50 people is quoted about
# 2,000 times. Needs hyperfine (Debian: apt-get install hyperfine) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"2000 20000"}
runs=${RUNS:-5}
people=${PEOPLE:-50}
quoted=${QUOTED:-5}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus
bin=target/release/parallax
gen=target/release/examples/gen_corpus

mean() { # mean wall time in ms of a command, over $runs runs
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;print(f\"{json.load(open('$work/h.json'))['results'][0]['mean']*1000:.1f}\")"
}
peak() { # peak resident memory in KiB
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

echo "| sources | quotes per person | corpus bytes | check ms | voices ms | voices / check | pairs found | check peak KiB | voices peak KiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  dir="$work/v$n-p$people-q$quoted"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 --readings 12 --claims 15 --seed 7 \
      --people "$people" --quoted "$quoted" >/dev/null
  fi
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  c=$(mean "$bin --corpus $dir check")
  v=$(mean "$bin --corpus $dir voices --format json")
  pairs=$("$bin" --corpus "$dir" voices --format json |
    python3 -c "import json,sys;print(sum(len(p['same_remark']) for p in json.load(sys.stdin)['people']))")
  pc=$(peak "$bin" --corpus "$dir" check)
  pv=$(peak "$bin" --corpus "$dir" voices --format json)
  ratio=$(python3 -c "print(f'{$v/$c:.2f}')")
  echo "| $n | $((n * quoted / people)) | $bytes | $c | $v | $ratio | $pairs | $pc | $pv |"
done
