#!/usr/bin/env bash
# Agreement at scale, timing the release binary on generated corpora:
#
# 1. `parallax agreement --no-pairs` on 1,000 sources × 200 scenes and 5,000 × 500, from
#    TOML files to JSON, and where the time goes (load, view, alpha, per reading, leave one
#    out, a 10,000-sample bootstrap) from examples/agreement_bench.rs;
# 2. the view after loading on 10,000 sources × 1,000 scenes (goal: at most 1 s);
# 3. the pair table on 2,000 sources × 50 scenes: `agreement --format json` (2 million
#    rows, streamed) against `parallax check` on the same corpus (goal: at most 5 times
#    its time), and its peak memory against the corpus size (goal: at most 3 times);
# 4. a cross-check against the Python `krippendorff` package on the same data.
#
#   bash benches/agreement.sh
#
# Needs hyperfine and GNU time (apt-get install hyperfine time); the Python comparison
# needs `pip install krippendorff numpy`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"
cargo build --release --quiet --bin parallax --example gen_corpus --example agreement_bench
bin=target/release/parallax
gen=target/release/examples/gen_corpus
bench=target/release/examples/agreement_bench

corpus() { # SOURCES SCENES → prints the corpus folder, generating it once
  local dir="$work/agree-$1x$2"
  [ -d "$dir" ] || "$gen" "$dir" --sources "$1" --scenes "$2" --readings 12 --claims 15 --seed 3 \
    --python "$dir.json" >/dev/null 2>&1
  echo "$dir"
}

peak() { # prints the peak resident memory of a command, in KiB
  /usr/bin/time -f "%M" -o "$work/peak" "$@" >/dev/null
  cat "$work/peak"
}

for size in "1000 200" "5000 500"; do
  set -- $size
  dir=$(corpus "$1" "$2")
  echo "== $1 sources × $2 scenes"
  hyperfine -N --warmup 1 --runs 5 "$bin --corpus $dir agreement --no-pairs --format json" 2>&1 | grep -E "Time|Range"
  echo "peak $(peak "$bin" --corpus "$dir" agreement --no-pairs --format json) KiB"
  "$bench" "$dir" --bootstrap 10000
done

dir=$(corpus 10000 1000)
echo "== 10000 sources × 1000 scenes: the view after loading (goal ≤ 1000 ms)"
"$bench" "$dir"

pairs() { # SOURCES NOTE: the pair table on SOURCES × 50 scenes against check, and peaks
  dir=$(corpus "$1" 50)
  bytes=$(du -sb "$dir" | cut -f1)
  echo "== $1 sources × 50 scenes, with the pair table (corpus $((bytes / 1024)) KiB)"
  hyperfine -N --warmup 1 --runs 5 --export-json "$work/pairs.json" \
    "$bin --corpus $dir check" \
    "$bin --corpus $dir agreement --format json" 2>&1 | grep -E "Benchmark|Time|Range"
  python3 - "$work/pairs.json" "$2" <<'EOF'
import json, sys
check, agreement = (r["mean"] for r in json.load(open(sys.argv[1]))["results"])
print(f"agreement with pairs / check: {agreement / check:.1f}{sys.argv[2]}")
EOF
  for cmd in check "agreement --format json" "agreement --format json --sort conflicts"; do
    kib=$(peak "$bin" --corpus "$dir" $cmd)
    echo "peak of $cmd: $kib KiB, $(python3 -c "print(f'{$kib * 1024 / $bytes:.1f}')") × the corpus$2"
  done
}

pairs 2000 " (goals: ≤ 5 times check, peak ≤ 3 times the corpus)"
"$bench" "$dir" --pairs
echo "-- the pair table in the other formats (the terminal measures it in one reading and draws it in a second)"
for format in table markdown html latex; do
  /usr/bin/time -f "$format: %e s, peak %M KiB" -o "$work/format" "$bin" --corpus "$dir" agreement --format "$format" >/dev/null
  cat "$work/format"
done

# the program's own pages (code, libraries) are a fixed few MB: at 2,000 sources they are
# most of the peak, at 5,000 less of it
pairs 5000 ""

# set-valued data, where MASI and Jaccard differ from nominal
dir="$work/agree-sets"
[ -d "$dir" ] || "$gen" "$dir" --sources 300 --scenes 10 --readings 6 --claims 25 --seed 5 \
  --python "$dir.json" >/dev/null 2>&1
echo "== parallax vs Python on set-valued data (300 × 10)"
"$bin" --corpus "$dir" agreement --no-pairs --format json | python3 -c "import json,sys; print('parallax', json.load(sys.stdin)['alpha'])"
if python3 -c "import krippendorff, numpy" 2>/dev/null; then
  for json in "$work/agree-1000x200.json" "$dir.json"; do
    echo "-- python on $(basename "$json")"
    python3 benches/alpha_python.py "$json"
  done
else
  echo "(pip install krippendorff numpy for the Python figures)"
fi
