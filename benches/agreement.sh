#!/usr/bin/env bash
# Agreement at scale: `parallax agreement --no-pairs` from TOML files to printed alpha on
# generated corpora of 1,000 sources × 200 scenes and 5,000 × 500, the time of alpha
# alone, and a cross-check against the Python `krippendorff` package on the same data.
#
#   bash benches/agreement.sh
#
# Needs hyperfine and GNU time; the Python comparison needs `pip install krippendorff numpy`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"
cargo build --release --quiet --bin parallax --example gen_corpus --example agreement_bench
bin=target/release/parallax
gen=target/release/examples/gen_corpus

for size in "1000 200" "5000 500"; do
  set -- $size
  dir="$work/agree-$1x$2"
  [ -d "$dir" ] || "$gen" "$dir" --sources "$1" --scenes "$2" --readings 12 --claims 15 --seed 3 \
    --python "$dir.json" >/dev/null 2>&1
  echo "== $1 sources × $2 scenes"
  hyperfine -N --warmup 1 --runs 5 "$bin --corpus $dir agreement --no-pairs --format json" 2>&1 | grep -E "Time|Range"
  /usr/bin/time -f "peak %M KiB" -o "$dir.mem" "$bin" --corpus "$dir" agreement --no-pairs --format json >/dev/null
  cat "$dir.mem"
  target/release/examples/agreement_bench "$dir"
done

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
