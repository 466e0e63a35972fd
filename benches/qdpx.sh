#!/usr/bin/env bash
# Peak memory and time of `export --format qdpx` and `import qdpx` of the release binary on
# generated corpora, beside `check` (the cost of loading) and beside the corpus's bytes.
# Prints a Markdown table.
#
#   bash benches/qdpx.sh                       # 2,000 and 20,000 sources, 40 scenes
#   SIZES="2000" bash benches/qdpx.sh
#   BEFORE=/path/to/old/parallax bash benches/qdpx.sh   # also the export of another binary
#
# Needs GNU time (/usr/bin/time) and python3. Generated corpora have no archived texts, so
# every claim is a note of a set; a second corpus made from each (`-texts`: each source's
# summaries written out as its archived text, each claim quoting its summary) has every
# claim coded at its place, and its project is imported back (`import qdpx --coder bench`).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"2000 20000"}
work=${BENCH_DIR:-/tmp/parallax-bench}
mkdir -p "$work"

cargo build --release --quiet --bin parallax --example gen_corpus
bin=target/release/parallax
gen=target/release/examples/gen_corpus

run() { # run LABEL BIN ARGS… : wall seconds and peak KiB of one run
  local label=$1 b=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$b" "$@" >/dev/null 2>"$work/err" || {
    cat "$work/err" >&2
    return 1
  }
  read -r secs kib <"$work/time"
  printf '| %s | %s | %s | %.2f |\n' "$label" "$secs" "$kib" "$(echo "$kib * 1024 / $bytes" | bc -l)"
}

for n in $sizes; do
  dir="$work/qdpx-s$n"
  if [ ! -d "$dir" ]; then
    "$gen" "$dir" --sources "$n" --scenes 40 >/dev/null
  fi
  bytes=$(du -sb "$dir/gen" | cut -f1)
  echo
  echo "$n sources, 40 scenes: $bytes bytes of corpus"
  echo
  echo "| run | seconds | peak KiB | peak / corpus bytes |"
  echo "|---|---:|---:|---:|"
  run "check" "$bin" --corpus "$dir" check
  run "export -f qdpx" "$bin" --corpus "$dir" export -o "$work/out.qdpx"
  if [ -n "${BEFORE:-}" ]; then
    run "export -f qdpx (before)" "$BEFORE" --corpus "$dir" export -o "$work/before.qdpx"
  fi
  run "export -f annotations" "$bin" --corpus "$dir" export -f annotations -o "$work/out.jsonld"
  echo
  echo "project: $(wc -c <"$work/out.qdpx") bytes zipped"

  texts="$work/qdpx-s$n-texts"
  if [ ! -d "$texts" ]; then
    cp -r "$dir" "$texts"
    python3 - "$texts/gen" <<'PY'
import pathlib, re, sys
work = pathlib.Path(sys.argv[1])
(work / "texts").mkdir(exist_ok=True)
for f in sorted((work / "sources").glob("*.toml")):
    lines, said = [], []
    for line in f.read_text().splitlines():
        lines.append(line)
        if line.startswith("kind = "):
            lines.append(f'text = "{f.stem}.txt"')
        m = re.match(r'summary = "(.*)"$', line)
        if m:
            said.append(m.group(1))
            lines.append(f'quote = "{m.group(1)}"')
    f.write_text("\n".join(lines) + "\n")
    (work / "texts" / f"{f.stem}.txt").write_text(" ".join(said) + "\n")
PY
  fi
  bytes=$(du -sb "$texts/gen" | cut -f1)
  echo
  echo "$n sources with archived texts, every claim quoting its text: $bytes bytes of corpus"
  echo
  echo "| run | seconds | peak KiB | peak / corpus bytes |"
  echo "|---|---:|---:|---:|"
  run "check" "$bin" --corpus "$texts" check
  run "export -f qdpx" "$bin" --corpus "$texts" export -o "$work/texts.qdpx"
  if [ -n "${BEFORE:-}" ]; then
    run "export -f qdpx (before)" "$BEFORE" --corpus "$texts" export -o "$work/before-texts.qdpx"
  fi
  rm -rf "$texts/gen/codings"
  run "import qdpx --coder bench" "$bin" --corpus "$texts" --coder bench import qdpx "$work/texts.qdpx"
  rm -rf "$texts/gen/codings"
  echo
  echo "project: $(wc -c <"$work/texts.qdpx") bytes zipped"
done
